#!/usr/bin/env bash
# The Cashi SDK in the real shape of the work: HTTPS across a link with latency, called from
# the merchant's page in PHP-FPM, gunicorn, uvicorn and Express workers, side by side with
# the code merchants write without it. Writes the "Real shape: HTTPS with latency" section
# of bench/RESULTS.md. See bench/realistic/README.md.
#
#   bench/realistic/run.sh            # install, build, measure, report (~15 min)
#   bench/realistic/run.sh --quick    # a smoke run (~2 min): RTT 10 ms, 1 s per step;
#                                     # writes target/realbench/RESULTS-quick.md
#
# Settings (environment): REALBENCH_RTTS ("10 25", ms), REALBENCH_TLS ("1.3 1.2"; "off":
# plain HTTP, for comparison),
# REALBENCH_USERS ("8 64"), REALBENCH_SECONDS (5, per step), REALBENCH_WORKERS (8: PHP-FPM
# children, gunicorn workers), REALBENCH_CLIENTS ("all", or stack:client ..., e.g.
# "php-fpm:curl gunicorn:sdk"), REALBENCH_OUT (bench/RESULTS.md), REALBENCH_SKIP_INSTALL,
# REALBENCH_SKIP_BUILD (reuse what is installed / built), CASHI_DIST_DIR (the SDK from
# scripts/dist.sh's artifacts; else built here in release mode and packed the same way).
# Everything it starts is stopped on exit; its files are in target/realbench/. It fails
# (after writing the report) when a page request failed or a measurement is missing, and
# asserts no time.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$ROOT/target/realbench"
QUICK=""
if [ "${1:-}" = "--quick" ]; then
    QUICK=1
    : "${REALBENCH_RTTS:=10}" "${REALBENCH_SECONDS:=1}"
    : "${REALBENCH_OUT:=$WORK/RESULTS-quick.md}"
elif [ -n "${1:-}" ]; then
    echo "usage: $0 [--quick]" >&2
    exit 2
fi
RTTS="${REALBENCH_RTTS:-10 25}"
TLS_VERSIONS="${REALBENCH_TLS:-1.3 1.2}"
USERS="${REALBENCH_USERS:-8 64}"
SECONDS_PER_STEP="${REALBENCH_SECONDS:-5}"
WORKERS="${REALBENCH_WORKERS:-8}"
CLIENTS="${REALBENCH_CLIENTS:-all}"
OUT="${REALBENCH_OUT:-$ROOT/bench/RESULTS.md}"
API_KEY="CASHI-REALBENCH1"
for rtt in $RTTS; do
    [[ "$rtt" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "REALBENCH_RTTS: whole milliseconds from 1 to 9999, got '$rtt'" >&2; exit 2; }
done
for v in $TLS_VERSIONS; do
    [[ "$v" = 1.3 || "$v" = 1.2 || "$v" = off ]] || { echo "REALBENCH_TLS: 1.3, 1.2 and/or off, got '$v'" >&2; exit 2; }
done
for u in $USERS; do
    [[ "$u" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "REALBENCH_USERS: numbers of users (1-9999), got '$u'" >&2; exit 2; }
done
[[ "$SECONDS_PER_STEP" =~ ^[1-9][0-9]*$ ]] || { echo "REALBENCH_SECONDS: whole seconds (wrk's unit), got '$SECONDS_PER_STEP'" >&2; exit 2; }
[[ "$WORKERS" =~ ^[1-9][0-9]?$ ]] || { echo "REALBENCH_WORKERS: 1-99, got '$WORKERS'" >&2; exit 2; }
# The SDK is built and installed only when a client that needs it runs.
WANT_SDK=""
if [ "$CLIENTS" = all ] || [[ " $CLIENTS " =~ :sdk ]]; then WANT_SDK=1; fi

step() { printf '\n==> %s\n' "$*" >&2; }
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
mkdir -p "$WORK"
RUN="$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RUN"
VENV="$WORK/venv"
NODE_PROJECT="$WORK/node"
PHP_PROJECT="$WORK/php"
ARTIFACTS="$WORK/artifacts"

# Everything started here is stopped on exit, also on Ctrl-C or SIGTERM (which wait for a
# build step in progress to end).
UPSTREAM_DIR="$WORK/upstream"
PROXY_PIDS=()
MEASURE_PID=""
UPSTREAM_STARTED=""
cleanup() {
    if [ -n "$MEASURE_PID" ] && kill -0 "$MEASURE_PID" 2>/dev/null; then
        kill -TERM "$MEASURE_PID" 2>/dev/null || true
        wait "$MEASURE_PID" 2>/dev/null || true
    fi
    local pid
    for pid in "${PROXY_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ -n "$UPSTREAM_STARTED" ] && [ -f "$UPSTREAM_DIR/nginx.pid" ]; then
        nginx -p "$UPSTREAM_DIR" -c "$UPSTREAM_DIR/nginx.conf" -s quit 2>/dev/null || true
        for _ in $(seq 1 50); do [ -f "$UPSTREAM_DIR/nginx.pid" ] || break; sleep 0.1; done
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------ install
php_fpm_bin() { compgen -G '/usr/sbin/php-fpm*' | sort -V | tail -n1; }
if [ -z "${REALBENCH_SKIP_INSTALL:-}" ]; then
    step "install: nginx, wrk, php-fpm, php-curl, composer, openssl (apt); gunicorn, uvicorn, requests, httpx (venv); express, axios (npm)"
    need=()
    command -v nginx >/dev/null || need+=(nginx)
    command -v wrk >/dev/null || need+=(wrk)
    command -v openssl >/dev/null || need+=(openssl)
    command -v curl >/dev/null || need+=(curl)
    [ -n "$(php_fpm_bin)" ] || need+=(php-fpm)
    command -v php >/dev/null || need+=(php-cli)
    { command -v php >/dev/null && php -m | grep -qi '^curl$'; } || need+=(php-curl)
    if [ -n "$WANT_SDK" ]; then
        # FFI is in Debian's php8.x-common; Composer reads the package's zip with php-zip.
        command -v composer >/dev/null || need+=(composer)
        { command -v php >/dev/null && php -m | grep -qi '^zip$'; } || need+=(php-zip)
    fi
    command -v python3 >/dev/null || need+=(python3 python3-venv)
    command -v node >/dev/null || need+=(nodejs npm)
    if ((${#need[@]})); then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
    fi
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/python/requirements.txt"
    if [ -n "$WANT_SDK" ] && [ -z "${CASHI_DIST_DIR:-}" ]; then
        "$VENV/bin/pip" install -q --disable-pip-version-check "$(grep -i '^maturin' "$ROOT/bench/python/requirements.txt")"
    fi
    mkdir -p "$NODE_PROJECT"
    cp "$HERE/node/package.json" "$HERE/node/package-lock.json" "$NODE_PROJECT/"
    (cd "$NODE_PROJECT" && npm ci --no-audit --no-fund --loglevel=error)
fi
PHP_FPM="$(php_fpm_bin)"
[ -n "$PHP_FPM" ] || { echo "no php-fpm in /usr/sbin (apt: php-fpm)" >&2; exit 1; }

# ------------------------------------------------------------------------------ build
step "build: the delaying proxy (bench/realistic/delay-proxy, release)"
PROXY_BIN="$ROOT/target/release/delay-proxy"
if [ -z "${REALBENCH_SKIP_BUILD:-}" ] || [ ! -x "$PROXY_BIN" ]; then
    (cd "$HERE/delay-proxy" && cargo build -q --release --target-dir "$ROOT/target")
fi

# The SDK as merchants install it: the wheel into the venv, the npm package into the
# scratch project, the Composer package into a project of its own.
PHP_AUTOLOAD="" PHP_INI=""
if [ -n "$WANT_SDK" ]; then
    # shellcheck disable=SC1091 # scripts/lib/version.sh sets CASHI_VERSION
    source "$ROOT/scripts/lib/version.sh"
    if [ -n "${CASHI_DIST_DIR:-}" ]; then
        step "the SDK from $CASHI_DIST_DIR (scripts/dist.sh)"
        rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
        cp -r "$CASHI_DIST_DIR/python" "$CASHI_DIST_DIR/npm" "$CASHI_DIST_DIR/php" "$ARTIFACTS/"
    elif [ -z "${REALBENCH_SKIP_BUILD:-}" ] || [ ! -d "$ARTIFACTS" ]; then
        step "build (release): libcashi, the Node module, the Python wheel; packed as scripts/dist.sh packs them"
        rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS/python" "$ARTIFACTS/npm" "$ARTIFACTS/php"
        (cd "$ROOT" && nice -n 10 cargo build -q --release -p cashi-ffi -p cashi-node)
        (cd "$ROOT/bindings-python" && nice -n 10 "$VENV/bin/maturin" build --release --quiet \
            --interpreter "$VENV/bin/python" --out "$ARTIFACTS/python" >/dev/null)
        python3 "$ROOT/scripts/licenses.py" "cashi-ffi=$ARTIFACTS/notices-ffi.txt" \
            "cashi-node=$ARTIFACTS/notices-node.txt" >/dev/null
        python3 "$ROOT/bindings-php/package.py" --version "$CASHI_VERSION" \
            --out "$ARTIFACTS/php/cashi-php-$CASHI_VERSION.zip" --notices "$ARTIFACTS/notices-ffi.txt" \
            "linux-x86_64-gnu=$ROOT/target/release/libcashi.so" >/dev/null
        "$ROOT/bindings-node/pack.sh" --notices "$ARTIFACTS/notices-node.txt" "$ARTIFACTS/npm" \
            "linux-x64-gnu=$ROOT/target/release/libcashi_node.so" >/dev/null
    fi
    step "install the SDK: wheel (pip), npm package (scratch project), Composer package (artifact repository)"
    "$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps --no-index \
        --find-links "$ARTIFACTS/python" --only-binary cashi cashi
    # The npm package as npm lays it out: the main package with its platform package's module.
    rm -rf "$NODE_PROJECT/node_modules/cashi" "$WORK/npm-platform"
    mkdir -p "$NODE_PROJECT/node_modules/cashi" "$WORK/npm-platform"
    tar -xzf "$ARTIFACTS/npm/cashi-$CASHI_VERSION.tgz" -C "$NODE_PROJECT/node_modules/cashi" --strip-components=1
    tar -xzf "$ARTIFACTS/npm/cashi-linux-x64-gnu-$CASHI_VERSION.tgz" -C "$WORK/npm-platform"
    cp "$WORK/npm-platform/package/cashi.linux-x64-gnu.node" "$NODE_PROJECT/node_modules/cashi/"
    rm -rf "$PHP_PROJECT" && mkdir -p "$PHP_PROJECT"
    cat >"$PHP_PROJECT/composer.json" <<JSON
{
    "name": "merchant/shop",
    "type": "project",
    "repositories": [
        {"type": "artifact", "url": "$ARTIFACTS/php"},
        {"packagist.org": false}
    ]
}
JSON
    (cd "$PHP_PROJECT" && COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_HOME="$WORK/composer-home" \
        composer require --no-interaction --no-progress --quiet "cashi/cashi:$CASHI_VERSION")
    PHP_AUTOLOAD="$PHP_PROJECT/vendor/autoload.php"
    # PHP-FPM as the package's README sets it up: libcashi loaded by ffi.preload from a
    # header with the library's absolute path, the package's classes preloaded by opcache.
    php "$PHP_PROJECT/vendor/cashi/cashi/bin/cashi-ffi-header" "$WORK/cashi-ffi.h" >/dev/null
    PHP_INI="ffi.enable=preload
ffi.preload=$WORK/cashi-ffi.h
opcache.enable=1
opcache.preload=$PHP_PROJECT/vendor/cashi/cashi/preload.php
opcache.preload_user=$(id -un)"
fi

# ------------------------------------------------------------------------------ certificates
step "a CA and the upstream's certificate (openssl, ECDSA P-256)"
CERTS="$WORK/certs"
rm -rf "$CERTS" && mkdir -p "$CERTS"
(
    cd "$CERTS"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
        -days 2 -subj "/CN=Cashi realbench CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
        -subj "/CN=cashi.test" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:cashi.test,DNS:localhost,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile server.ext -out server.pem 2>/dev/null
    # PHP's curl.cainfo: the system's roots and this CA.
    cat /etc/ssl/certs/ca-certificates.crt ca.pem >trust.pem
)
# requests and httpx trust certifi's bundle by default: the venv's gets this CA added, so
# the pages call with their default settings, as they would call cashi.id.
# (A marker line before it: a later run replaces it.)
CERTIFI="$("$VENV/bin/python" -c 'import certifi; print(certifi.where())')"
MARK="# bench/realistic: the benchmark's CA"
{ sed "/^$MARK\$/,\$d" "$CERTIFI"; echo "$MARK"; cat "$CERTS/ca.pem"; } >"$CERTIFI.new"
mv "$CERTIFI.new" "$CERTIFI"

# ------------------------------------------------------------------------------ servers

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

step "start the upstream (nginx over TLS) and a delaying proxy per RTT and TLS configuration"
rm -rf "$UPSTREAM_DIR" && mkdir -p "$UPSTREAM_DIR/tmp"
PORT13="$(free_port)"
PORT12="$(free_port)"
while [ "$PORT12" = "$PORT13" ]; do PORT12="$(free_port)"; done
PORTPLAIN="$(free_port)"
while [ "$PORTPLAIN" = "$PORT13" ] || [ "$PORTPLAIN" = "$PORT12" ]; do PORTPLAIN="$(free_port)"; done
fill() { sed -e "s#__PORT13__#$PORT13#" -e "s#__PORT12__#$PORT12#" -e "s#__PORTPLAIN__#$PORTPLAIN#" \
    -e "s#__STATIC__#$ROOT/bench/static#" \
    -e "s#__CERT__#$CERTS/server.pem#" -e "s#__KEY__#$CERTS/server.key#" -e "s#__CONF_DIR__#$UPSTREAM_DIR#" "$1"; }
fill "$HERE/upstream.conf" >"$UPSTREAM_DIR/nginx.conf"
fill "$HERE/upstream-locations.conf" >"$UPSTREAM_DIR/upstream-locations.conf"
UPSTREAM_STARTED=1
nginx -p "$UPSTREAM_DIR" -c "$UPSTREAM_DIR/nginx.conf"
for _ in $(seq 1 100); do
    curl -fs -o /dev/null --cacert "$CERTS/ca.pem" "https://127.0.0.1:$PORT13/api/check-status/x" && break
    sleep 0.1
done

LINKS=()
for tls in $TLS_VERSIONS; do
    case "$tls" in
        1.3) upstream="$PORT13" ;;
        1.2) upstream="$PORT12" ;;
        *) upstream="$PORTPLAIN" ;;
    esac
    for rtt in $RTTS; do
        name="proxy-tls$tls-rtt$rtt"
        rm -f "$WORK/$name.port"
        "$PROXY_BIN" --listen 127.0.0.1:0 --upstream "127.0.0.1:$upstream" --rtt-ms "$rtt" \
            --port-file "$WORK/$name.port" --stats-file "$WORK/$name.stats" 2>"$WORK/$name.err" &
        PROXY_PIDS+=($!)
        for _ in $(seq 1 100); do [ -s "$WORK/$name.port" ] && break; sleep 0.05; done
        [ -s "$WORK/$name.port" ] || { cat "$WORK/$name.err" >&2; echo "$name did not start" >&2; exit 1; }
        LINKS+=("$tls:$rtt:$(cat "$WORK/$name.port"):$upstream:$WORK/$name.stats")
    done
done

# The proxy's added latency as curl sees it: each curl makes two requests on one connection
# (TCP + TLS handshake + request, then a request alone); the median of 5 runs per link, and
# of the upstream without the proxy.
step "check the links with curl -w (time_connect, time_appconnect, time_total)"
calibrate() { # label port tls rtt
    local i scheme=https
    [ "$3" != off ] || scheme=http
    for i in 1 2 3 4 5; do
        curl -s --cacert "$CERTS/ca.pem" -o /dev/null -o /dev/null \
            -w '%{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}\n' \
            "$scheme://127.0.0.1:$2/api/check-status/calibrate-$i" "$scheme://127.0.0.1:$2/api/check-status/again-$i"
    done | "$VENV/bin/python" -c '
import json, statistics, sys
label, tls, rtt = sys.argv[1:4]
rows = [list(map(float, line.split())) for line in sys.stdin if line.strip()]
first, again = rows[0::2], rows[1::2]
med = lambda rs, i: round(statistics.median(r[i] for r in rs) * 1000, 3)
print(json.dumps({"link": label, "tls": tls, "rtt_ms": int(rtt), "runs": len(first),
    "first": {"connect_ms": med(first, 0), "appconnect_ms": med(first, 1), "starttransfer_ms": med(first, 2), "total_ms": med(first, 3)},
    "again": {"total_ms": med(again, 3)}}))' "$1" "$3" "$4"
}
: >"$RUN/calibration.jsonl"
calibrate "upstream, no proxy (TLS 1.3)" "$PORT13" 1.3 0 >>"$RUN/calibration.jsonl"
calibrate "upstream, no proxy (TLS 1.2)" "$PORT12" 1.2 0 >>"$RUN/calibration.jsonl"
for link in "${LINKS[@]}"; do
    IFS=: read -r tls rtt port _ _ <<<"$link"
    calibrate "proxy, RTT $rtt ms, TLS $tls" "$port" "$tls" "$rtt" >>"$RUN/calibration.jsonl"
done
"$VENV/bin/python" -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    f, again = r["first"], r["again"]
    print("   %s: connect %s ms, TLS done %s ms, first answer %s ms, second %s ms"
          % (r["link"], f["connect_ms"], f["appconnect_ms"], f["total_ms"], again["total_ms"]))' "$RUN/calibration.jsonl" >&2

# ------------------------------------------------------------------------------ machine
step "machine and versions"
"$VENV/bin/python" "$HERE/../machine.py" "$RUN/meta.json" "$ROOT" \
    --dirty core bindings-c bindings-python bindings-node bindings-php bench/realistic \
    --version nginx="nginx -v 2>&1 | cut -d/ -f2; nginx -V 2>&1 | sed -n 's/^built with //p'" \
    --version PHP="php -r 'echo PHP_VERSION, \" curl \", curl_version()[\"version\"], \" \", curl_version()[\"ssl_version\"], PHP_EOL;'; '$PHP_FPM' -v | head -1 | cut -d' ' -f1-2" \
    --version Python="'$VENV/bin/python' --version; '$VENV/bin/python' -c 'import ssl; print(ssl.OPENSSL_VERSION)'" \
    --version "Python packages=$VENV/bin/python -m pip list --format=freeze 2>/dev/null | grep -iE '^(gunicorn|uvicorn|requests|httpx|cashi)=' | tr '\n' ' '" \
    --version Node.js="echo \"\$(node --version) (OpenSSL \$(node -p process.versions.openssl))\"" \
    --version "npm packages=cd '$NODE_PROJECT' && node -p \"['express','axios','cashi'].map(p => { try { return p + '@' + require(p + '/package.json').version } catch { return p + ': not installed' } }).join(' ')\"" \
    --version wrk="wrk -v 2>&1 | head -1 | cut -d' ' -f2" \
    --setting rtts="$RTTS" --setting tls="$TLS_VERSIONS" --setting users="$USERS" \
    --setting seconds="$SECONDS_PER_STEP" --setting workers="$WORKERS" --setting clients="$CLIENTS" \
    --setting quick="$QUICK" | sed 's/^/   /'

# ------------------------------------------------------------------------------ measure
step "measure: each stack and client, afresh, at $USERS users, $SECONDS_PER_STEP s per step"
set +e
RB_RESULTS="$RUN" RB_WORK="$WORK" RB_TRUST="$CERTS/trust.pem" RB_CA="$CERTS/ca.pem" RB_VENV="$VENV" \
    RB_NODE_PROJECT="$NODE_PROJECT" RB_PHP_FPM="$PHP_FPM" RB_PHP_AUTOLOAD="$PHP_AUTOLOAD" RB_PHP_INI="$PHP_INI" \
    RB_ACCESS_LOG="$UPSTREAM_DIR/access.log" RB_LINKS="${LINKS[*]}" RB_USERS="$USERS" \
    RB_SECONDS="$SECONDS_PER_STEP" RB_WORKERS="$WORKERS" RB_CLIENTS="$CLIENTS" RB_API_KEY="$API_KEY" \
    "$VENV/bin/python" "$HERE/measure.py" &
MEASURE_PID=$!
wait "$MEASURE_PID"
measured=$?
MEASURE_PID=""
set -e

# ------------------------------------------------------------------------------ report
step "report"
echo "   raw records: $RUN" >&2
set +e
"$VENV/bin/python" "$HERE/report.py" "$RUN" "$OUT"
reported=$?
set -e
[ "$measured" = 0 ] && [ "$reported" = 0 ]
