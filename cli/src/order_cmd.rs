//! `cashi order create | status | wait`.

use std::io::Write;
use std::time::Duration;

use clap::Subcommand;
use serde_json::json;

use crate::{output, terminal_qr, ApiArgs, Failure};

#[derive(Subcommand)]
pub enum OrderCommand {
    /// Create an order and show the amount to pay, the checkout link and the QR code.
    Create {
        /// Whole rupiah, before Cashi adds its unique code (e.g. 15000).
        #[arg(long)]
        amount: String,
        /// Your own unique order id (recommended).
        #[arg(long)]
        order_id: Option<String>,
        /// Payment channel: QRIS (default), QRIS_CUSTOM, BCA, MANDIRI, BNI, BRI, BSI, ALFAMART, INDOMARET.
        #[arg(long)]
        channel: Option<String>,
        /// Do not draw the QR code.
        #[arg(long)]
        no_qr: bool,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Show an order's payment status.
    Status {
        order_id: String,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Wait until the order is settled (exit 0) or expired (exit 3), with a live countdown.
    Wait {
        order_id: String,
        /// Give up after this many seconds (exit 1, code timeout).
        #[arg(long, default_value_t = cashi::DEFAULT_WAIT.as_secs())]
        timeout: u64,
        #[command(flatten)]
        api: ApiArgs,
    },
}

pub async fn run(command: OrderCommand, json: bool) -> Result<(), Failure> {
    match command {
        OrderCommand::Create {
            amount,
            order_id,
            channel,
            no_qr,
            api,
        } => {
            let mut request = cashi::CreateOrder::new(parse_amount(&amount)?);
            if let Some(id) = order_id {
                request = request.order_id(id);
            }
            if let Some(channel) = channel {
                request = request.channel(channel.as_str());
            }
            let order = api.client()?.create_order(&request).await?;
            print_order(&order, json, !no_qr);
            Ok(())
        }
        OrderCommand::Status { order_id, api } => {
            let status = api.client()?.check_status(&order_id).await?;
            if json {
                println!("{}", output::status_json(&status));
            } else {
                print_status(&status);
            }
            Ok(())
        }
        OrderCommand::Wait {
            order_id,
            timeout,
            api,
        } => {
            let client = api.client()?;
            let live = !json;
            let status = client
                .wait_for_payment_with_progress(&order_id, Duration::from_secs(timeout), |p| {
                    if live {
                        let left = p.remaining.as_secs();
                        eprint!(
                            "\r  {:<10} {:>2}:{:02} left, {} checks  ",
                            p.last_state,
                            left / 60,
                            left % 60,
                            p.polls
                        );
                        let _ = std::io::stderr().flush();
                    }
                })
                .await;
            if live {
                eprintln!();
            }
            let status = status?;
            if json {
                println!("{}", output::status_json(&status));
            } else {
                print_status(&status);
            }
            if status.is_settled() {
                Ok(())
            } else {
                Err(Failure {
                    code: "not_settled",
                    message: format!("order ended {}", status.state),
                    exit: 3,
                })
            }
        }
    }
}

/// Whole rupiah only: `15000.5` or `15k` is refused, never rounded.
pub fn parse_amount(text: &str) -> Result<i64, Failure> {
    text.trim().parse::<i64>().map_err(|_| {
        Failure::new(
            "invalid_argument",
            format!("amount: {text:?} is not a whole number of rupiah (write 15000, without separators or decimals)"),
        )
    })
}

fn print_order(order: &cashi::Order, json: bool, draw_qr: bool) {
    let qr = if draw_qr {
        order.qr_png().ok().map(|png| terminal_qr::draw(&png))
    } else {
        None
    };
    if json {
        let mut value = output::order_json(order);
        if let Some(Ok((_, payload))) = &qr {
            value["qris_payload"] = json!(payload);
        }
        println!("{value}");
        return;
    }
    println!("Order {}", order.order_id);
    println!(
        "  amount to pay  {}  (requested {} + unique code {})",
        output::rupiah(order.amount),
        output::rupiah(order.requested_amount),
        order.unique_code
    );
    if let Some(url) = &order.checkout_url {
        println!("  checkout       {url}");
    }
    println!("  expires        {}", output::time(order.expires_at));
    if let Some(va) = &order.virtual_account {
        println!(
            "  virtual acct   {} {}",
            va.bank.as_deref().unwrap_or(""),
            va.va_number
        );
    }
    if let Some(retail) = &order.retail {
        println!(
            "  payment code   {} at {}",
            retail.payment_code,
            retail.retail_name.as_deref().unwrap_or("the store")
        );
    }
    match qr {
        Some(Ok((art, _))) => println!("\n{art}"),
        Some(Err(why)) => println!("  (QR not shown: {why})"),
        None => {}
    }
}

fn print_status(status: &cashi::PaymentStatus) {
    println!("Order {}: {}", status.order_id, status.state);
    if let Some(amount) = status.amount {
        println!("  amount         {}", output::rupiah(amount));
    }
    if let Some(tx) = &status.provider_tx_id {
        println!("  transaction    {tx}");
    }
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn amounts_are_never_rounded() {
        assert_eq!(parse_amount("15000").ok(), Some(15000));
        for bad in ["15000.5", "15.000", "15k", "", "NaN"] {
            let e = parse_amount(bad).err().unwrap();
            assert_eq!(e.code, "invalid_argument");
            assert!(e.message.starts_with("amount:"));
        }
    }
}
