'use strict'

// What `npm install cashi` puts on disk, and how it resolves.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const pkgDir = path.dirname(require.resolve('cashi/package.json'))

test('the installed package is the tarball, not a link to the source tree', () => {
  assert.ok(!fs.lstatSync(pkgDir).isSymbolicLink())
  assert.ok(pkgDir.includes(`${path.sep}node_modules${path.sep}cashi`))
})

test('the package ships its entry points and declarations, nothing else; the native module comes in its platform package', () => {
  const files = fs.readdirSync(pkgDir).sort()
  for (const f of [
    'index.js',
    'index.mjs',
    'index.d.ts',
    'native.js',
    'native.d.ts',
    'records.js',
    'records.d.ts',
    'package.json',
    'README.md',
  ]) {
    assert.ok(files.includes(f), `${f} missing from ${files}`)
  }
  for (const f of ['src', 'tests', 'Cargo.toml', 'node_modules', 'test.sh']) {
    assert.ok(!files.includes(f), `${f} should not be shipped`)
  }
  assert.ok(!files.some((f) => f.endsWith('.node')), `a native module in the main package: ${files}`)
  const platform = `cashi-${process.platform}-${process.arch}-gnu`
  const platformDir = path.dirname(require.resolve(`${platform}/package.json`))
  const main = require(`${platform}/package.json`).main
  assert.match(main, /^cashi\..+\.node$/)
  assert.ok(fs.readdirSync(platformDir).includes(main), `no ${main} in ${platform}`)
  for (const f of ['LICENSE-MIT', 'LICENSE-APACHE', 'THIRD-PARTY-NOTICES.txt']) {
    assert.ok(fs.readdirSync(platformDir).includes(f), `no ${f} in ${platform}`)
  }
  assert.match(fs.readFileSync(path.join(platformDir, 'THIRD-PARTY-NOTICES.txt'), 'utf8'), /^napi +\S+ +MIT$/m)
})

test('require resolves the CommonJS entry, import the ESM one', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'))
  assert.equal(require.resolve('cashi'), path.join(pkgDir, 'index.js'))
  assert.equal(pkg.exports['.'].import, './index.mjs')
  assert.equal(pkg.exports['.'].require, './index.js')
  assert.equal(pkg.exports['.'].types, './index.d.ts')
  assert.equal(require('cashi').VERSION, pkg.version)
})

test("VERSION, the package's and its platform package's versions are the workspace's", () => {
  // test.sh passes the workspace's version (scripts/lib/version.sh).
  const workspace = process.env.CASHI_EXPECTED_VERSION
  assert.ok(workspace, 'set CASHI_EXPECTED_VERSION to the workspace version (test.sh does)')
  const platform = `cashi-${process.platform}-${process.arch}-gnu`
  assert.equal(require('cashi').VERSION, workspace)
  assert.equal(require('cashi/package.json').version, workspace)
  assert.equal(require(`${platform}/package.json`).version, workspace)
})

test('every runtime export is declared in index.d.ts', () => {
  const dts = fs.readFileSync(path.join(pkgDir, 'index.d.ts'), 'utf8')
  for (const name of Object.keys(require('cashi'))) {
    assert.match(dts, new RegExp(`export declare (class|const|function) ${name}\\b`), name)
  }
})

test('the webhook handlers ship as subpaths: cashi/handler, cashi/express, cashi/fastify', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'))
  const exported = {
    handler: ['WebhookHandler'],
    express: ['webhookHandler', 'WebhookHandler'],
    fastify: ['cashiWebhook', 'WebhookHandler', 'default'],
  }
  for (const [name, names] of Object.entries(exported)) {
    for (const ext of ['js', 'mjs', 'd.ts']) {
      assert.ok(fs.existsSync(path.join(pkgDir, `${name}.${ext}`)), `${name}.${ext} is not shipped`)
    }
    assert.deepEqual(pkg.exports[`./${name}`], {
      types: `./${name}.d.ts`,
      import: `./${name}.mjs`,
      require: `./${name}.js`,
    })
    const cjs = require(`cashi/${name}`)
    const esm = await import(`cashi/${name}`)
    const dts = fs.readFileSync(path.join(pkgDir, `${name}.d.ts`), 'utf8')
    for (const n of names) {
      assert.ok(n in esm, `import('cashi/${name}') has no ${n}`)
      if (n !== 'default') {
        assert.ok(n in cjs, `require('cashi/${name}') has no ${n}`)
        assert.match(dts, new RegExp(`\\b${n}\\b`), `${name}.d.ts does not declare ${n}`)
      }
    }
    // One module instance: the class is the same whichever way it was loaded.
    assert.equal(esm.WebhookHandler, require('cashi/handler').WebhookHandler)
  }
  assert.equal(typeof require('cashi/fastify'), 'function') // app.register(require('cashi/fastify'), ...)
})
