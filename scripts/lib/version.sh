# The release version, from the workspace's Cargo.toml ([workspace.package] version), for
# scripts that must run without cargo. `source` this file, then use $CASHI_VERSION.
CASHI_VERSION="$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../../Cargo.toml" | head -n1)"
if [ -z "$CASHI_VERSION" ]; then
    echo "no version = \"...\" line in the workspace's Cargo.toml" >&2
    return 1
fi
