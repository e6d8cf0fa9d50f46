'use strict'

// napi's generated loader (native.js) picks the platform package of every target the
// release builds, from the platform facts it reads: process.platform, process.arch, and
// on Linux whether the C library is musl. The loader runs here in a sandbox with those
// facts injected and a `require` that records what it asks for.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')

const pkgDir = path.dirname(require.resolve('cashi/package.json'))
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'))
const loader = fs.readFileSync(path.join(pkgDir, 'native.js'), 'utf8')

// The release's targets (package.json napi.targets, .github/workflows/release.yml), and the
// facts Node reports on each.
const RELEASE = [
  { target: 'x86_64-unknown-linux-gnu', platform: 'linux', arch: 'x64', musl: false, pkg: 'cashi-linux-x64-gnu' },
  { target: 'aarch64-unknown-linux-gnu', platform: 'linux', arch: 'arm64', musl: false, pkg: 'cashi-linux-arm64-gnu' },
  { target: 'x86_64-unknown-linux-musl', platform: 'linux', arch: 'x64', musl: true, pkg: 'cashi-linux-x64-musl' },
  { target: 'aarch64-unknown-linux-musl', platform: 'linux', arch: 'arm64', musl: true, pkg: 'cashi-linux-arm64-musl' },
  { target: 'x86_64-apple-darwin', platform: 'darwin', arch: 'x64', musl: false, pkg: 'cashi-darwin-x64' },
  { target: 'aarch64-apple-darwin', platform: 'darwin', arch: 'arm64', musl: false, pkg: 'cashi-darwin-arm64' },
  { target: 'x86_64-pc-windows-msvc', platform: 'win32', arch: 'x64', musl: false, pkg: 'cashi-win32-x64-msvc' },
]

/** Runs native.js with these facts; returns the binding it settled on and what it required. */
function load({ platform, arch, musl }, available) {
  const asked = []
  const fakeRequire = (id) => {
    asked.push(id)
    if (id === 'fs') {
      return {
        ...fs,
        readFileSync: (file, ...rest) => {
          if (file === '/usr/bin/ldd') {
            return musl ? '#!/bin/sh\n# musl libc ldd\n' : '#!/bin/bash\n# GNU C Library ldd\n'
          }
          return fs.readFileSync(file, ...rest)
        },
      }
    }
    if (id === 'child_process') {
      return { execSync: () => (musl ? 'musl libc (x86_64)' : 'ldd (GNU libc) 2.36') }
    }
    if (id.endsWith('/package.json') && available.has(id.slice(0, -'/package.json'.length))) {
      return { version: pkg.version }
    }
    if (available.has(id)) {
      return { loadedFrom: id }
    }
    const e = new Error(`Cannot find module '${id}'`)
    e.code = 'MODULE_NOT_FOUND'
    throw e
  }
  const fakeProcess = {
    platform,
    arch,
    env: {},
    versions: process.versions,
    report: {
      getReport: () => ({
        header: musl ? {} : { glibcVersionRuntime: '2.36' },
        sharedObjects: musl ? ['/lib/ld-musl-x86_64.so.1'] : ['/lib/x86_64-linux-gnu/libc.so.6'],
      }),
    },
    emitWarning: () => {},
  }
  const module = { exports: {} }
  const context = vm.createContext({
    require: fakeRequire,
    process: fakeProcess,
    module,
    exports: module.exports,
    __dirname: pkgDir,
    __filename: path.join(pkgDir, 'native.js'),
    console,
  })
  let error = null
  try {
    vm.runInContext(loader, context, { filename: 'native.js' })
  } catch (e) {
    error = e
  }
  return { binding: module.exports, asked, error }
}

test("package.json's napi.targets are exactly the release targets", () => {
  assert.deepEqual(pkg.napi.targets.slice().sort(), RELEASE.map((r) => r.target).sort())
})

test('the installed package names every platform package in optionalDependencies, at its own version', () => {
  const expected = Object.fromEntries(RELEASE.map((r) => [r.pkg, pkg.version]).sort())
  assert.deepEqual(pkg.optionalDependencies, expected)
})

for (const row of RELEASE) {
  test(`native.js on ${row.platform} ${row.arch}${row.platform === 'linux' ? (row.musl ? ' musl' : ' glibc') : ''} loads ${row.pkg}`, () => {
    const all = new Set(RELEASE.map((r) => r.pkg))
    const { binding, error } = load(row, all)
    assert.equal(error, null, error && error.stack)
    assert.equal(binding.loadedFrom, row.pkg)
  })
}

test('with no package for the platform, the loader fails and says what it tried', () => {
  const row = RELEASE.find((r) => r.pkg === 'cashi-linux-arm64-musl')
  const { error, asked } = load(row, new Set(['cashi-linux-arm64-gnu']))
  assert.ok(error, 'no error without the platform package')
  assert.ok(asked.includes('cashi-linux-arm64-musl'), `asked for: ${asked}`)
  assert.ok(!asked.includes('cashi-linux-arm64-gnu'), 'a glibc build offered to musl')
  assert.match(String(error.message), /native binding/i)
})
