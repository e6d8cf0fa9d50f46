//! The schemas' snake_case names in each language's idiom.

/// `order_id` → `orderId` (JavaScript properties, PHP properties).
pub fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `VirtualAccount` → `virtual_account` (C type and function names).
pub fn snake(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, c) in pascal.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(camel("order_id"), "orderId");
        assert_eq!(camel("is_qris_custom"), "isQrisCustom");
        assert_eq!(camel("amount"), "amount");
        assert_eq!(snake("VirtualAccount"), "virtual_account");
        assert_eq!(snake("Order"), "order");
    }
}
