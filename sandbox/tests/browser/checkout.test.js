// Drives the sandbox checkout page in headless Chromium: the page shows the amount and
// the QR, "Simulate payment" settles the order, the browser lands on the success URL.
// Usage: node checkout.test.js  (CASHI_SANDBOX_BIN = path of the cashi-sandbox binary,
// CHROMIUM = browser path, default /usr/bin/chromium). Exits non-zero on failure.
'use strict';

const { chromium } = require('playwright-core');
const { spawn } = require('node:child_process');
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const assert = require('node:assert/strict');

const BIN = process.env.CASHI_SANDBOX_BIN;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = 20000;

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts the sandbox on a free port; resolves with its origin, API key and process. */
function startSandbox(args) {
  const child = spawn(BIN, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const info = {};
  const ready = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
    lines.on('line', (line) => {
      let m;
      if (!info.origin) {
        m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (!m) return reject(new Error(`unexpected first line: ${line}`));
        info.origin = m[1];
      } else if ((m = /^api key: (.+)$/.exec(line))) {
        info.apiKey = m[1];
        resolve({ ...info, child });
      }
    });
  });
  return withTimeout(ready, 'sandbox start');
}

/** A stand-in merchant site: the success page the checkout redirects to. */
function startShop() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><title>Thanks</title><h1 id="thanks">Thank you</h1>');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function api(sb, method, p, body) {
  const res = await fetch(`${sb.origin}/api${p}`, {
    method,
    headers: { 'x-api-key': sb.apiKey, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, `${method} ${p}: ${JSON.stringify(json)}`);
  return json;
}

function rupiah(n) {
  return 'Rp ' + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

async function main() {
  assert.ok(BIN, 'set CASHI_SANDBOX_BIN to the cashi-sandbox binary');
  const shop = await startShop();
  const successUrl = `http://127.0.0.1:${shop.address().port}/success`;
  const sb = await startSandbox(['--redirect-url', successUrl, '--quiet']);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cashi-chromium-'));
  // A fresh profile directory each run (Playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);

    // 1. The page shows the amount to pay, the QR and a running countdown.
    const order = await api(sb, 'POST', '/create-order', { amount: 15000, order_id: 'WEB-1' });
    await page.goto(order.checkout_url);
    assert.equal((await page.textContent('#amount')).trim(), rupiah(order.amount));
    const qrOk = await page.$eval('#qr', (img) => img.complete && img.naturalWidth > 100);
    assert.ok(qrOk, 'QR image loaded');
    assert.equal(await page.$eval('#qr', (img) => img.src), order.qrUrl);
    await page.waitForFunction(
      () => /^\d\d:\d\d$/.test(document.getElementById('countdown').textContent),
    );
    assert.equal((await page.textContent('#status')).trim(), 'PENDING');

    // 2. Simulate payment: the order settles and the browser lands on the success URL.
    await Promise.all([page.waitForURL(successUrl), page.click('#simulate')]);
    assert.equal(await page.textContent('#thanks'), 'Thank you');
    const st = await api(sb, 'GET', '/check-status/WEB-1');
    assert.equal(st.status, 'SETTLED');
    assert.equal(st.amount, order.amount);
    console.log('ok - checkout page: amount, QR, countdown, simulate, redirect');

    // 3. Without a redirect URL the page says it is paid; a payment made elsewhere (the
    //    control API) shows up by itself through polling.
    await api(sb, 'POST', '/sandbox/config', { redirect_url: null });
    const other = await api(sb, 'POST', '/create-order', { amount: 20000, order_id: 'WEB-2' });
    await page.goto(other.checkout_url);
    await api(sb, 'POST', '/sandbox/orders/WEB-2/pay', {});
    await page.waitForFunction(
      () => document.getElementById('status').textContent === 'SETTLED',
    );
    await page.waitForSelector('#paid', { state: 'visible' });
    assert.equal(page.url(), other.checkout_url);
    assert.ok(await page.$eval('#simulate', (b) => b.disabled), 'button disabled once paid');
    console.log('ok - checkout page: live status and paid message without redirect');
  } finally {
    await browser.close();
    sb.child.kill('SIGTERM');
    shop.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('not ok -', err && err.stack ? err.stack : err);
    process.exit(1);
  },
);
