#!/usr/bin/env node
// Deterministic generator of a synthetic Python tree for benchmarking `canon scan`.
//
//   node bench/gen.mjs --out DIR [--profile realistic|synthetic] [--files N] [--mb N] [--seed 1] [--quiet]
//
// Writes DIR/**.py (at least --files filler modules plus packages' __init__.py and a few fixed
// modules, at least --mb MiB of .py bytes in total), DIR/canon.toml, DIR/expected-files.json (per
// planted file: what was planted) and, last, DIR/expected.json (the totals; its presence marks a
// complete tree). Everything comes from a seeded PRNG: same arguments -> byte-identical tree.
// The counting rules are in bench/README.md; the expected counts are tallied while planting.
//
// Speed: all code text comes from a pool of blocks generated once from templates; a file is a
// header + planted snippets + a run of pool blocks joined with Array#join and written in one
// fs.writeFileSync call, so there is no per-byte work in JS.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const GENERATOR_VERSION = 2;

/**
 * The two trees. `synthetic` is the original benchmark tree: few imports per file, dense strings,
 * and the needles in ~6% of the files. `realistic` is calibrated against real code (bench/README.md,
 * "Calibration": the standard library scanned as a project of its own, and Debian's django,
 * sqlalchemy and pytest): file sizes log-normal around a 8 KiB median (mean ~17 KiB), ~6.5 import
 * statements per file with ~5 of the project's own in 90% of the files, the string, docstring and
 * comment densities of that code, and a needle (the last segment of a legacy module) in about
 * half of the files, mostly in imports that are not findings, as in the codebase of the seed
 * report, whose legacy package every websocket module imports.
 */
export const PROFILES = Object.freeze({
  synthetic: Object.freeze({
    name: 'synthetic', files: 20000, mb: 300, plantedShare: 0.05, decoyOnlyShare: 0.01, needleShare: 0,
    srcWeights: { func: 5, klass: 4, dataclass: 2, constants: 2, asyncFunc: 2, enumBlock: 2, strings: 2 },
    testWeights: { testCase: 6, func: 2, constants: 1, strings: 1 },
  }),
  realistic: Object.freeze({
    name: 'realistic', files: 10000, mb: 170, plantedShare: 0.08, decoyOnlyShare: 0.02, needleShare: 0.42,
    srcWeights: { logic: 9, service: 6, func: 2, klass: 2, dataclass: 1, constants: 1, asyncFunc: 1, enumBlock: 1, strings: 1 },
    testWeights: { testCase: 3, testLogic: 4, logic: 2 },
  }),
});
export const DEFAULT_PROFILE = 'realistic';
export const DEFAULTS = Object.freeze({ profile: DEFAULT_PROFILE, files: PROFILES[DEFAULT_PROFILE].files, mb: PROFILES[DEFAULT_PROFILE].mb, seed: 1 });

// ---------------------------------------------------------------------------------------------
// PRNG: splitmix32 seeding an sfc32 stream.

function makeRng(seed) {
  let s = seed >>> 0;
  const sm = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = sm(), b = sm(), c = sm(), d = sm();
  const next = () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const rng = {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    shuffle(arr) {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = arr[i]; arr[i] = arr[j]; arr[j] = t;
      }
      return arr;
    },
    sample(arr, k) { return rng.shuffle(arr.slice()).slice(0, k); },
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------
// The project being simulated.

const LEGACY = 'svc.core.legacy';
const CANONICAL = 'svc.core.canonical';
/** Symbol moves: all out of svc.core.legacy (which re-exports them from canonical). */
const SYMBOL_MOVES = [
  { fromName: 'Manager', toName: 'Manager' },
  { fromName: 'get_manager', toName: 'get_manager' },
  { fromName: 'Config', toName: 'Settings' }, // the rename
  { fromName: 'DEFAULT_TIMEOUT', toName: 'DEFAULT_TIMEOUT' },
];
const MOVED_NAMES = SYMBOL_MOVES.map((m) => m.fromName);
const symId = (name) => `${LEGACY}:${name}`;
/** Whole-module moves: a package with submodules, and a single module. */
const MOD_OLDAPI = 'svc.oldapi';
const MOD_OLDJSON = 'svc.utils.oldjson';
const MODULE_MOVES = [
  { from: MOD_OLDAPI, to: 'svc.api' },
  { from: MOD_OLDJSON, to: 'svc.utils.jsonx' },
];

const AREAS = [
  { name: 'routes', glob: 'svc/routes/**', prefix: 'svc/routes/', priority: 'critical' },
  { name: 'services', glob: 'svc/services/**', prefix: 'svc/services/', priority: 'high' },
  { name: 'tests', glob: 'tests/**', prefix: 'tests/', priority: 'medium' },
  { name: 'models', glob: 'svc/models/**', prefix: 'svc/models/', priority: 'low' },
];
const areaOf = (rel) => (AREAS.find((a) => rel.startsWith(a.prefix)) || { name: 'other' }).name;

/** Where the filler modules go (share of --files). */
const TOPS = [
  { dir: 'svc/routes', share: 0.25 },
  { dir: 'svc/services', share: 0.25 },
  { dir: 'svc/models', share: 0.12 },
  { dir: 'svc/utils', share: 0.08 },
  { dir: 'svc/jobs', share: 0.08 },
  { dir: 'tests', share: 0.22, test: true },
];
const DIRECT_FILES = 20; // first N modules of each top dir sit directly in it, the rest in gNNN/
const GROUP_SIZE = 80;


/** Bytes that no filler text may contain (so a byte prefilter can skip filler files). */
const FORBIDDEN_IN_FILLER = ['legacy', 'oldapi', 'oldjson', 'svc.gone'];

// ---------------------------------------------------------------------------------------------
// Vocabulary and templates for the filler code.

const NOUNS = ['user', 'order', 'invoice', 'account', 'session', 'cache', 'token', 'payload', 'report',
  'event', 'queue', 'batch', 'record', 'profile', 'metric', 'ticket', 'item', 'catalog', 'price',
  'shipment', 'tenant', 'region', 'policy', 'audit', 'webhook', 'job', 'task', 'schedule', 'message',
  'channel', 'document', 'asset', 'quota', 'plan', 'coupon', 'ledger', 'refund', 'cart', 'widget',
  'node', 'cluster', 'bucket', 'stream', 'segment', 'vendor', 'address', 'contact', 'badge', 'feature',
  'flag', 'rule', 'limit', 'window', 'snapshot', 'digest', 'signal', 'route', 'handler', 'resource',
  'permission', 'role', 'group', 'team', 'project', 'comment', 'thread', 'upload', 'download',
  'export', 'template', 'currency', 'warehouse', 'carrier', 'sku', 'review', 'rating', 'locale'];
const VERBS = ['load', 'fetch', 'build', 'parse', 'render', 'validate', 'normalize', 'sync', 'refresh',
  'resolve', 'merge', 'apply', 'compute', 'dispatch', 'encode', 'decode', 'emit', 'collect', 'prune',
  'archive', 'import', 'publish', 'enqueue', 'retry', 'throttle', 'score', 'rank', 'index', 'migrate',
  'rotate', 'verify', 'sign', 'hash', 'split', 'group', 'flatten', 'serialize', 'hydrate', 'reconcile',
  'notify', 'schedule', 'cancel', 'expire', 'lock', 'release', 'format', 'summarize', 'aggregate',
  'filter', 'update', 'create', 'delete', 'list', 'get', 'set', 'clear', 'reset', 'warm', 'from'];
const ADJS = ['active', 'pending', 'cached', 'remote', 'local', 'default', 'primary', 'stale', 'raw',
  'partial', 'final', 'shared', 'private', 'public', 'internal', 'external', 'batched', 'lazy',
  'eager', 'strict', 'loose', 'sorted', 'unique', 'dirty', 'clean', 'hot', 'cold', 'fresh',
  'expired', 'valid', 'optional', 'required', 'nested', 'flat', 'secure', 'trusted', 'draft', 'live'];
const SUFFIXES = ['Handler', 'Service', 'Repository', 'Client', 'Adapter', 'Builder', 'Registry',
  'Resolver', 'Controller', 'Factory', 'Serializer', 'Validator', 'Processor', 'Store', 'Gateway',
  'Monitor', 'Scheduler', 'Dispatcher', 'Worker', 'View', 'Form', 'Backend'];
const WORDS = ['the', 'a', 'request', 'response', 'is', 'are', 'retried', 'cached', 'when', 'if',
  'upstream', 'downstream', 'returns', 'raises', 'value', 'values', 'mapping', 'field', 'fields',
  'should', 'must', 'never', 'always', 'be', 'normalized', 'before', 'after', 'dispatching',
  'persisting', 'for', 'each', 'tenant', 'region', 'with', 'without', 'timeout', 'backoff', 'lock',
  'transaction', 'payload', 'schema', 'note', 'that', 'this', 'helper', 'keeps', 'compatibility',
  'import', 'from', 'module', 'callers', 'expect', 'ordering', 'stable', 'idempotent', 'retries',
  'budget', 'window', 'per', 'second', 'queue', 'depth', 'metrics', 'exported', 'via', 'hooks',
  'configuration', 'overrides', 'environment', 'settings', 'defaults', 'fallback', 'cursor', 'page'];
const UNICODE_NOTES = ['Café-grade — handles naïve inputs.', 'Résumé parsing: “smart quotes” are normalised.',
  'Units: µs, ±1%, ≤ 5 retries.', 'Zürich / São Paulo / Kraków regions.'];

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const camel = (...parts) => parts.map(cap).join('');

function sentence(rng, lo = 8, hi = 16) {
  const n = rng.range(lo, hi);
  const w = [];
  for (let i = 0; i < n; i++) w.push(rng.pick(WORDS));
  return cap(w.join(' ')) + '.';
}

/** Filler templates. Each returns a complete module-level block (ends with a newline). */
const TEMPLATES = {
  func(r) {
    const v = r.pick(VERBS), n = r.pick(NOUNS), a = r.pick(ADJS), k = r.int(1000);
    const arg1 = `${n}_id`, arg2 = `include_${a}`;
    const keys = r.sample(NOUNS, 4);
    return String.raw`def ${v}_${n}_${a}_${k}(${arg1}: str, ${arg2}: bool = False, **extra) -> dict:
    """${cap(v)} the ${a} ${n} records.

    ${sentence(r)}

    Args:
        ${arg1}: The ${n} identifier.
        ${arg2}: ${sentence(r, 4, 8)}

    Returns:
        A mapping of ${n} fields.
    """
    # ${sentence(r)}
    result = {
        "${keys[0]}": ${arg1},
        "${keys[1]}": [${r.int(100)}, ${r.int(100)}, ${r.int(100)}],
        "${keys[2]}": {"nested": True, "count": ${r.int(50)}, "ratio": ${r.int(100) / 100}},
        '${keys[3]}': None,
    }
    if ${arg2}:
        result["${a}"] = f"${n}-{${arg1}}-${r.int(99)}"
    for idx, value in enumerate(list(result.values())):
        if idx > ${r.range(2, 9)} and value is None:
            break
    try:
        total = sum(len(str(v)) for v in result.values())
    except (TypeError, ValueError) as exc:  # ${sentence(r, 3, 6)}
        raise RuntimeError(f"failed to ${v} ${n} {${arg1}!r}: {exc}") from exc
    log.debug("%s %s -> %d", "${v}", ${arg1}, total)
    result.update({k: v for k, v in extra.items() if not k.startswith("_")})
    return result
`;
  },
  klass(r) {
    const n = r.pick(NOUNS), a = r.pick(ADJS), suf = r.pick(SUFFIXES), k = r.int(1000);
    const cls = `${camel(a, n)}${suf}${k}`;
    const f1 = `${r.pick(NOUNS)}_name`, f2 = `${r.pick(ADJS)}_count`;
    const v1 = r.pick(VERBS), v2 = r.pick(VERBS);
    const uni = r.chance(0.3) ? `\n    ${r.pick(UNICODE_NOTES)}\n` : '';
    return String.raw`class ${cls}:
    """${cap(n)} ${suf.toLowerCase()} with ${a} semantics.

    ${sentence(r)}
    ${sentence(r)}
${uni}    """

    default_${n}_limit = ${r.int(500)}
    __slots__ = ("${f1}", "${f2}", "_cache")

    def __init__(self, ${f1}: str, ${f2}: int = ${r.int(64)}) -> None:
        self.${f1} = ${f1}
        self.${f2} = ${f2}
        self._cache: dict = {}

    def __repr__(self) -> str:
        return f"${cls}(${f1}={self.${f1}!r}, ${f2}={self.${f2}})"

    @property
    def ${a}_${n}_weight(self) -> int:
        # ${sentence(r, 4, 10)}
        return self.${f2} * ${r.range(2, 17)}

    @classmethod
    def from_dict(cls, data: dict) -> "${cls}":
        return cls(data["${f1}"], int(data.get("${f2}", ${r.int(64)})))

    def ${v1}_${n}(self, *items, **options):
        seen = set()
        for item in items:
            key = (item, options.get("${r.pick(NOUNS)}", ${r.int(9)}))
            if key in seen:
                continue
            seen.add(key)
            self._cache[str(key)] = item
        return [x for x in self._cache.values() if x is not None]

    def ${v2}_${r.pick(NOUNS)}(self, value=None):
        if value is None:
            return self._cache.pop("${n}", None)
        self._cache["${n}"] = value
        return value
`;
  },
  dataclass(r) {
    const n = r.pick(NOUNS), suf = r.pick(SUFFIXES), k = r.int(1000);
    const fields = r.sample(NOUNS, 4);
    return String.raw`@dataclasses.dataclass(frozen=True)
class ${camel(n)}${suf}Record${k}:
    """${sentence(r)}"""

    ${fields[0]}_id: str
    ${fields[1]}_count: int = ${r.int(100)}
    ${fields[2]}_label: typing.Optional[str] = None
    ${fields[3]}_tags: tuple = ()
    created_at: float = ${r.int(1700000000)}.0

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def with_${fields[1]}(self, count: int) -> "${camel(n)}${suf}Record${k}":
        return dataclasses.replace(self, ${fields[1]}_count=count)
`;
  },
  constants(r) {
    const n = r.pick(NOUNS), a = r.pick(ADJS), k = r.int(1000);
    const rows = [];
    const m = r.range(8, 24);
    for (let i = 0; i < m; i++) {
      const key = `${r.pick(NOUNS)}_${r.pick(ADJS)}_${i}`;
      rows.push(`    "${key}": {"id": ${r.int(100000)}, "label": "${cap(r.pick(NOUNS))} ${r.pick(ADJS)}", ` +
        `"enabled": ${r.chance(0.5) ? 'True' : 'False'}, "weight": ${r.int(1000) / 10}, "tags": ("${r.pick(ADJS)}", "${r.pick(NOUNS)}")},`);
    }
    return `# ${sentence(r)}\n${n.toUpperCase()}_${a.toUpperCase()}_MAP_${k} = {\n${rows.join('\n')}\n}\n`;
  },
  asyncFunc(r) {
    const v = r.pick(VERBS), n = r.pick(NOUNS), k = r.int(1000), arg = `${n}_key`;
    return String.raw`# ---------------------------------------------------------------------------
# ${sentence(r)}
# ${sentence(r)}
# ---------------------------------------------------------------------------


async def ${v}_${n}_async_${k}(client, ${arg}, *, retries: int = ${r.range(2, 6)}):
    """Asynchronously ${v} a ${n}.

    ${sentence(r)}
    """
    attempt = 0
    while attempt < retries:
        attempt += 1
        try:
            response = await client.get(f"/api/v${r.range(1, 3)}/${n}s/{${arg}}", timeout=${r.range(1, 30)})
        except asyncio.TimeoutError:
            await asyncio.sleep(0.${r.range(1, 9)} * attempt)
            continue
        if response.status == 200:
            body = await response.json()
            return {**body, "attempts": attempt}
        log.warning("${n} %s: status %s (attempt %d)", ${arg}, response.status, attempt)
    return None
`;
  },
  enumBlock(r) {
    const n = r.pick(NOUNS), k = r.int(1000);
    const members = r.sample(ADJS, r.range(3, 7));
    return String.raw`class ${camel(n)}Status${k}(enum.Enum):
${members.map((m) => `    ${m.toUpperCase()} = "${m}"`).join('\n')}


_${n}_sorters_${k} = {
    "name": lambda item: item.get("name", ""),
    "size": lambda item: -int(item.get("size", 0)),
    "age": lambda item: (item.get("created", 0), item.get("name", "")),
}


def sort_${n}s_${k}(items, key="name", reverse=False):
    sorter = _${n}_sorters_${k}.get(key, _${n}_sorters_${k}["name"])
    pairs = [(sorter(dict(i)), i) for i in items if i]
    return [i for _, i in sorted(pairs, key=lambda p: p[0], reverse=reverse)]
`;
  },
  strings(r) {
    const n = r.pick(NOUNS), N = n.toUpperCase(), k = r.int(1000);
    return String.raw`_${N}_QUERY_${k} = """
    SELECT id, name, created_at, ${r.pick(NOUNS)}_id
    FROM ${n}s
    WHERE status = %(status)s
      AND region IN %(regions)s  -- ${sentence(r, 3, 6)}
    ORDER BY created_at DESC
    LIMIT ${r.range(10, 500)}
"""
_${N}_PATTERN_${k} = re.compile(r"^(?P<${n}>[a-z_]+)-(?P<num>\d{1,4})(?:\.(?P<ext>\w+))?$")
_${N}_MAGIC_${k} = b"\x89${N}\r\n\x1a\n"
_${N}_TEMPLATE_${k} = "%(${n})s: %(count)d items (%(ratio).2f%%)"
_${N}_HELP_${k} = (
    "${sentence(r)} "
    '${sentence(r)} '
    "${sentence(r)}"
)


def describe_${n}_${k}(count: int, ratio: float) -> str:
    return _${N}_TEMPLATE_${k} % {"${n}": "${n}", "count": count, "ratio": ratio * 100}
`;
  },
  // The realistic profile's code: mostly logic, with comments and few strings (real code's density).
  logic(r) {
    const v = r.pick(VERBS), n = r.pick(NOUNS), a = r.pick(ADJS), k = r.int(1000);
    const m = r.pick(NOUNS), lim = r.range(2, 50);
    return String.raw`def ${v}_${n}_${a}_${k}(ctx, items, limit=None, *, strict=False):
    # ${sentence(r)}
    # ${sentence(r, 4, 10)}
    total = 0
    seen = {}
    pending = []
    for index, item in enumerate(items):
        if limit is not None and index >= limit:
            break
        # ${sentence(r, 5, 12)}
        key = getattr(item, "${m}_id", None) or item
        if key in seen:
            seen[key] += 1
            continue
        seen[key] = 1
        weight = ctx.weights.get(key, ${r.int(10)}) * ${r.range(2, 9)}
        if strict and weight > ${lim}:
            pending.append((key, weight))
        else:
            total += weight
    # ${sentence(r, 6, 14)}
    while pending:
        key, weight = pending.pop()
        total += min(weight, ${lim})  # ${sentence(r, 3, 7)}
    ratio = total / max(1, len(seen))
    return ratio, sorted(seen, key=lambda x: (seen[x], str(x)))
`;
  },
  service(r) {
    const n = r.pick(NOUNS), a = r.pick(ADJS), suf = r.pick(SUFFIXES), k = r.int(1000);
    const cls = `${camel(a, n)}${suf}${k}`, v1 = r.pick(VERBS), v2 = r.pick(VERBS), f = r.pick(NOUNS);
    return String.raw`class ${cls}:
    """${sentence(r)}

    ${sentence(r)}
    """

    def __init__(self, repository, cache=None, *, retries=${r.range(1, 5)}):
        self._repository = repository
        self._cache = cache if cache is not None else {}
        self._retries = retries
        # ${sentence(r, 5, 12)}
        self._${f}_count = 0

    def ${v1}_one(self, ${n}_id, *, force=False):
        # ${sentence(r, 4, 10)}
        if not force and ${n}_id in self._cache:
            return self._cache[${n}_id]
        attempt = 0
        while True:
            attempt += 1
            try:
                value = self._repository.get(${n}_id)
            except LookupError:
                if attempt >= self._retries:
                    raise
                continue
            break
        self._cache[${n}_id] = value
        self._${f}_count += 1
        return value

    def ${v2}_${f}_many(self, values, predicate=None):
        # ${sentence(r, 6, 14)}
        # ${sentence(r, 4, 9)}
        out = []
        for value in values:
            if predicate is not None and not predicate(value):
                continue
            out.append(self.${v1}_one(value))
        return out
`;
  },
  testLogic(r) {
    const n = r.pick(NOUNS), v = r.pick(VERBS), k = r.int(1000);
    return String.raw`def test_${v}_${n}_${k}(tmp_path, monkeypatch):
    # ${sentence(r, 5, 12)}
    items = [${r.int(9)}, ${r.int(9)}, ${r.int(9)}, None]
    result = [x for x in items if x is not None]
    assert len(result) == 3
    # ${sentence(r, 4, 10)}
    for value in result:
        assert value >= 0, value
    monkeypatch.setattr(sys, "argv", ["prog", "--${n}"])
    assert sys.argv[1].startswith("--")
`;
  },
  testCase(r) {
    const n = r.pick(NOUNS), v = r.pick(VERBS), a = r.pick(ADJS), k = r.int(1000);
    return String.raw`class Test${camel(n, v)}${k}(unittest.TestCase):
    """${sentence(r)}"""

    def setUp(self):
        self.${n} = {"id": ${r.int(1000)}, "name": "${n}-${a}", "tags": ["${r.pick(ADJS)}", "${r.pick(ADJS)}"]}

    def test_${v}_${a}(self):
        self.assertGreaterEqual(self.${n}["id"], ${-r.int(5)})
        self.assertIn("name", self.${n})
        self.assertTrue(self.${n}["name"].startswith("${n}"))

    def test_${v}_missing_key(self):
        with self.assertRaises(KeyError):
            _ = self.${n}["missing_${r.pick(NOUNS)}"]

    def test_${v}_${r.pick(NOUNS)}_roundtrip(self):
        data = dict(self.${n}, extra={"k": ${r.int(100)}})
        self.assertEqual(data["extra"]["k"], data["extra"]["k"])
        self.assertEqual(len(data), 4)
`;
  },
};

function buildPool(rng, weights, size) {
  const names = Object.keys(weights);
  const total = names.reduce((s, k) => s + weights[k], 0);
  const pool = [];
  for (let i = 0; i < size; i++) {
    let x = rng.next() * total, name = names[0];
    for (const k of names) { x -= weights[k]; if (x < 0) { name = k; break; } }
    const block = TEMPLATES[name](rng);
    for (const bad of FORBIDDEN_IN_FILLER) {
      if (block.includes(bad)) throw new Error(`filler template ${name} produced forbidden text "${bad}"`);
    }
    pool.push(block);
  }
  return pool;
}

// ---------------------------------------------------------------------------------------------
// Planted forms. make() returns { header, body, n, moves? } where header is top-level code that
// goes after the file's imports, body is a module-level block placed among the filler, n is the
// number of findings of the form's kind, and moves maps move id -> findings (legacy-import only).

let UID = 0;
const uid = () => ++UID;

/** Relative prefix from the file's package up to `svc` (file svc/services/x.py -> '..'). */
const dotsToSvc = (f) => '.'.repeat(f.pkg.length);
const isSvc = (f) => f.pkg[0] === 'svc' && f.pkg.length >= 2;
const always = () => true;

function names(r, lo, hi) { return r.sample(MOVED_NAMES, r.range(lo, hi)); }
function movesOf(list) {
  const m = {};
  for (const nm of list) m[symId(nm)] = (m[symId(nm)] || 0) + 1;
  return m;
}

/** Lines that use moved names through `prefix` (e.g. `lg`, `svc.core.legacy`): one finding each. */
const USE_LINES = {
  Manager: (p) => [`    mgr = ${p}.Manager()`, `    mgr = ${p}.Manager.from_settings(None)`, `    isinstance(None, ${p}.Manager)`],
  get_manager: (p) => [`    current = ${p}.get_manager()`, `    handle = ${p}.get_manager().name`],
  Config: (p) => [`    cfg = ${p}.Config(name="x")`, `    cfg_type = ${p}.Config`],
  DEFAULT_TIMEOUT: (p) => [`    timeout = ${p}.DEFAULT_TIMEOUT * 2`, `    timeout = max(1, ${p}.DEFAULT_TIMEOUT)`],
};
function attrUses(r, prefix, tag) {
  const used = names(r, 1, 4);
  const lines = used.map((nm) => r.pick(USE_LINES[nm](prefix)));
  const u = uid();
  const body = `def _use_${tag}_${u}(flag=False):\n    """Uses the module the old way."""\n` +
    `${lines.join('\n')}\n    # ${prefix}.Manager() in a comment does not count\n    return flag\n`;
  return { body, n: used.length, moves: movesOf(used) };
}

const FORMS = [
  // ---- symbol moves: `from` imports (one finding per moved name) ----
  { id: 'from-simple', kind: 'legacy-import', ok: always, make(r) {
    const nm = r.pick(MOVED_NAMES);
    return { header: `from svc.core.legacy import ${nm}\n`, body: `_ref_${uid()} = ${nm}\n`, n: 1, moves: movesOf([nm]) };
  } },
  { id: 'from-alias', kind: 'legacy-import', ok: always, make(r) {
    const nm = r.pick(MOVED_NAMES), al = r.pick(['M', 'OldThing', `_${nm.toLowerCase()}_alias`]);
    return { header: `from svc.core.legacy import ${nm} as ${al}\n`, n: 1, moves: movesOf([nm]) };
  } },
  { id: 'from-multi', kind: 'legacy-import', ok: always, make(r) {
    const ns = names(r, 2, 4);
    return { header: `from svc.core.legacy import ${ns.join(', ')}\n`, n: ns.length, moves: movesOf(ns) };
  } },
  { id: 'from-paren', kind: 'legacy-import', ok: always, make(r) {
    const ns = names(r, 2, 4);
    const items = ns.map((nm, i) => {
      const al = r.chance(0.25) ? ` as Old${nm.replace(/_/g, '')}` : '';
      const comment = i === 0 ? '  # still used by the batch jobs' : '';
      return `    ${nm}${al},${comment}`;
    });
    const trailing = r.chance(0.5);
    if (!trailing) items[items.length - 1] = items[items.length - 1].replace(/,(\s*#.*)?$/, '$1');
    return { header: `from svc.core.legacy import (\n${items.join('\n')}\n)\n`, n: ns.length, moves: movesOf(ns) };
  } },
  { id: 'from-mixed-unmoved', kind: 'legacy-import', ok: always, make(r) {
    // `describe` lives in legacy.py and is not moved: only the moved name counts.
    const nm = r.pick(MOVED_NAMES);
    return { header: `from svc.core.legacy import describe, ${nm}\n`, n: 1, moves: movesOf([nm]) };
  } },
  { id: 'from-relative', kind: 'legacy-import', ok: isSvc, make(r, f) {
    const ns = names(r, 1, 2);
    return { header: `from ${dotsToSvc(f)}core.legacy import ${ns.join(', ')}\n`, n: ns.length, moves: movesOf(ns) };
  } },
  { id: 'from-in-function', kind: 'legacy-import', ok: always, make(r) {
    const ns = names(r, 1, 2), u = uid();
    return { body: `def _lazy_manager_${u}():\n    """Import late to avoid a cycle."""\n    from svc.core.legacy import ${ns.join(', ')}\n\n    return ${ns[0]}\n`, n: ns.length, moves: movesOf(ns) };
  } },
  { id: 'from-in-method', kind: 'legacy-import', ok: always, make(r) {
    const nm = r.pick(MOVED_NAMES), u = uid();
    return { body: `class _LazyLoader${u}:\n    """Defers the import until first use."""\n\n    def load(self):\n        if self is None:\n            return None\n        from svc.core.legacy import ${nm}\n        return ${nm}\n`, n: 1, moves: movesOf([nm]) };
  } },
  { id: 'from-type-checking', kind: 'legacy-import', ok: always, make(r) {
    const ns = names(r, 1, 2);
    const cond = r.chance(0.5) ? 'TYPE_CHECKING' : 'typing.TYPE_CHECKING';
    const pre = cond === 'TYPE_CHECKING' ? 'from typing import TYPE_CHECKING\n\n' : '';
    return { header: `${pre}if ${cond}:  # pragma: no cover\n    from svc.core.legacy import ${ns.join(', ')}\n`, n: ns.length, moves: movesOf(ns) };
  } },
  { id: 'from-try-except', kind: 'legacy-import', ok: always, make(r) {
    const nm = r.pick(MOVED_NAMES);
    const header = r.chance(0.5)
      ? `try:\n    from svc.core.canonical import ${SYMBOL_MOVES.find((m) => m.fromName === nm).toName} as ${nm}\nexcept ImportError:  # pragma: no cover - old deployments\n    from svc.core.legacy import ${nm}\n`
      : `try:\n    from svc.core.legacy import ${nm}\nexcept ImportError:\n    ${nm} = None\n`;
    return { header, n: 1, moves: movesOf([nm]) };
  } },
  { id: 'from-semicolon', kind: 'legacy-import', ok: always, make(r) {
    const nm = r.pick(MOVED_NAMES);
    const header = r.chance(0.5) ? `import os; from svc.core.legacy import ${nm}\n` : `from svc.core.legacy import ${nm}; import sys\n`;
    return { header, n: 1, moves: movesOf([nm]) };
  } },
  { id: 'from-backslash', kind: 'legacy-import', ok: always, make(r) {
    if (r.chance(0.5)) {
      const nm = r.pick(MOVED_NAMES);
      return { header: `from svc.core.legacy \\\n    import ${nm}\n`, n: 1, moves: movesOf([nm]) };
    }
    const ns = names(r, 2, 2);
    return { header: `from svc.core.legacy import ${ns[0]}, \\\n    ${ns[1]}\n`, n: 2, moves: movesOf(ns) };
  } },
  { id: 'from-if-inline', kind: 'legacy-import', ok: always, make(r) {
    const nm = r.pick(MOVED_NAMES);
    return { header: `if sys.version_info >= (3, 8): from svc.core.legacy import ${nm}\n`, n: 1, moves: movesOf([nm]) };
  } },
  // ---- symbol moves: module imports, findings are attribute uses of moved names ----
  { id: 'attr-import-plain', kind: 'legacy-import', ok: always, make(r) {
    return { header: 'import svc.core.legacy\n', ...attrUses(r, 'svc.core.legacy', 'plain') };
  } },
  { id: 'attr-import-alias', kind: 'legacy-import', ok: always, make(r) {
    const header = r.chance(0.5) ? 'import svc.core.legacy as lg\n' : 'import os, svc.core.legacy as lg\n';
    return { header, ...attrUses(r, 'lg', 'alias') };
  } },
  { id: 'attr-from-package', kind: 'legacy-import', ok: always, make(r) {
    const header = r.chance(0.5) ? 'from svc.core import legacy\n' : 'from svc.core import canonical, legacy\n';
    return { header, ...attrUses(r, 'legacy', 'pkg') };
  } },
  { id: 'attr-from-relative-package', kind: 'legacy-import', ok: isSvc, make(r, f) {
    return { header: `from ${dotsToSvc(f)}core import legacy\n`, ...attrUses(r, 'legacy', 'relpkg') };
  } },
  // ---- whole-module moves: one finding per import statement (per name for `import a, b`) ----
  { id: 'mod-import', kind: 'legacy-import', ok: always, make(r) {
    const m = r.pick([MOD_OLDAPI, MOD_OLDJSON]);
    // no `svc.oldapi.X` use follows: whether such uses count is not part of the rules (README)
    return { header: `import ${m}  # noqa: F401 - registers the old handlers\n`, n: 1, moves: { [m]: 1 } };
  } },
  { id: 'mod-import-submodule', kind: 'legacy-import', ok: always, make(r) {
    const sub = r.pick(['client', 'types']);
    const header = r.chance(0.5) ? `import svc.oldapi.${sub}\n` : `import svc.oldapi.${sub} as api_${sub}\n`;
    return { header, n: 1, moves: { [MOD_OLDAPI]: 1 } };
  } },
  { id: 'mod-import-alias', kind: 'legacy-import', ok: always, make() {
    return { header: 'import svc.utils.oldjson as oj\n', body: `_dump_${uid()} = oj.dumps\n`, n: 1, moves: { [MOD_OLDJSON]: 1 } };
  } },
  { id: 'mod-from', kind: 'legacy-import', ok: always, make(r) {
    const opts = [
      ['from svc.oldapi.client import ApiClient, Timeout\n', MOD_OLDAPI, 2],
      ['from svc.oldapi.types import Payload\n', MOD_OLDAPI, 1],
      ['from svc.oldapi import client, types\n', MOD_OLDAPI, 2],
      ['from svc.utils.oldjson import dumps, loads\n', MOD_OLDJSON, 2],
    ];
    const [header, m, names] = r.pick(opts);
    return { header, n: 1, moves: { [m]: 1 }, alt: { perName: names } };
  } },
  { id: 'mod-from-parent', kind: 'legacy-import', ok: always, make(r) {
    const [header, m] = r.pick([['from svc.utils import oldjson\n', MOD_OLDJSON], ['from svc import oldapi\n', MOD_OLDAPI]]);
    return { header, n: 1, moves: { [m]: 1 } };
  } },
  { id: 'mod-from-relative', kind: 'legacy-import', ok: isSvc, make(r, f) {
    const d = dotsToSvc(f);
    const [header, m] = r.pick([[`from ${d}oldapi.client import ApiClient\n`, MOD_OLDAPI], [`from ${d}utils import oldjson\n`, MOD_OLDJSON]]);
    return { header, n: 1, moves: { [m]: 1 } };
  } },
  { id: 'mod-from-paren', kind: 'legacy-import', ok: always, make() {
    return { header: 'from svc.utils.oldjson import (\n    dumps,\n    loads,  # kept for old callers\n)\n', n: 1, moves: { [MOD_OLDJSON]: 1 }, alt: { perName: 2 } };
  } },
  { id: 'mod-in-function', kind: 'legacy-import', ok: always, make() {
    return { body: `def _register_json_backend_${uid()}():\n    import svc.utils.oldjson  # noqa: F401 - import for its side effect\n\n    return True\n`, n: 1, moves: { [MOD_OLDJSON]: 1 } };
  } },
  // ---- string references ----
  { id: 'str-mock-patch', kind: 'string-reference', ok: always, needs: ['mock'], make(r) {
    const nm = r.pick(MOVED_NAMES), u = uid();
    const body = r.chance(0.5)
      ? `@mock.patch("svc.core.legacy.${nm}")\ndef _test_patched_${u}(fake):\n    assert fake is not None\n`
      : `def _test_patched_ctx_${u}():\n    with mock.patch('svc.core.legacy.${nm}') as fake:\n        assert fake is not None\n`;
    return { body, n: 1 };
  } },
  { id: 'str-import-module', kind: 'string-reference', ok: always, needs: ['importlib'], make() {
    return { body: `def _load_dynamic_${uid()}():\n    return importlib.import_module("svc.core.legacy")\n`, n: 1, alt: { bareModule: 1 } };
  } },
  { id: 'str-module-move', kind: 'string-reference', ok: always, needs: ['importlib'], make(r) {
    const s = r.pick(['"svc.oldapi.client"', "'svc.utils.oldjson'", '"svc.oldapi"']);
    return { body: `_BACKEND_${uid()} = importlib.import_module(${s})\n`, n: 1 };
  } },
];
const UNRESOLVED_FORM = { id: 'unresolved', kind: 'unresolved', make(r) {
  return { header: r.chance(0.5) ? 'from svc.gone import thing\n' : 'from svc.gone.deep import other_thing\n', n: 1 };
} };

/** Decoys: mention moved paths where they must not count. Never a finding of any kind. */
const DECOYS = [
  { id: 'decoy-docstring', make: () => `def _migration_notes_${uid()}():\n    """Explain the migration.\n\n    Old code did \`\`from svc.core.legacy import Manager\`\` and\n    \`\`import svc.core.legacy as lg\`\`; see svc.core.legacy.Manager and svc.oldapi.client.\n    """\n    return None\n` },
  { id: 'decoy-triple-quoted', make: () => `_MIGRATION_SNIPPET_${uid()} = '''\nfrom svc.core.legacy import Manager\nimport svc.core.legacy as lg\nfrom svc.oldapi.client import ApiClient\nimport svc.utils.oldjson\nlg.get_manager()\n'''\n` },
  { id: 'decoy-comment', make: () => `# from svc.core.legacy import Manager  -- removed in the migration\n#import svc.utils.oldjson as oj\n_flag_${uid()} = True  # lg.Manager() used to live here; svc.core.legacy.get_manager too\n` },
  { id: 'decoy-fstring', make: () => `def _deprecation_message_${uid()}(name):\n    head = f"from svc.core.legacy import {name} is deprecated"\n    target = f"svc.core.legacy.{name}"\n    body = f'''\nimport svc.core.legacy\nsvc.core.legacy.{name}()\n'''\n    return head + target + body\n` },
  { id: 'decoy-bytes', make: () => { const u = uid(); return `_RAW_${u} = b"from svc.core.legacy import Manager"\n_RAW_PATH_${u} = b"svc.core.legacy.Manager"\n_RAW_MOD_${u} = rb'import svc.oldapi.client'\n`; } },
  { id: 'decoy-string-continuation', make: () => `_CONTINUED_${uid()} = "from svc.core.legacy \\\nimport Manager"\n` },
  { id: 'decoy-prose-string', make: () => `_NOTE_${uid()} = "svc.core.legacy.Manager is deprecated; use svc.core.canonical.Manager"\n` },
  { id: 'decoy-canonical', header: () => 'from svc.core.canonical import Manager, get_manager\n', make: () => `_CANONICAL_PATH_${uid()} = "svc.core.canonical.Manager"\n` },
  { id: 'decoy-prefix-module', header: () => 'from svc.core.legacy_tools import LegacyTool\nimport svc.core.legacy_tools\nfrom svc.utils.oldjson_schema import Schema\n',
    make: () => `_TOOL_PATH_${uid()} = "svc.core.legacy_tools.LegacyTool"\n_SCHEMA_PATH_${uid()} = 'svc.utils.oldjson_schema.Schema'\n\n\ndef _run_tool_${uid()}():\n    return svc.core.legacy_tools.run_tool(LegacyTool(), Schema)\n` },
];
/** Only in files that bind neither `legacy` nor `lg` at module level (decoy-only files). */
const DECOY_SHADOW = { id: 'decoy-local-name', make: () => { const u = uid(); return `class _Shadow${u}:\n    Manager = None\n\n\ndef _shadow_${u}():\n    legacy = _Shadow${u}()\n    lg = legacy\n    return legacy.Manager, lg.Manager\n`; } };

// ---------------------------------------------------------------------------------------------
// Fixed modules: the legacy/canonical pair, the moved packages and their targets, decoy modules.

const FIXED = {
  'svc/__init__.py': '"""The synthetic service."""\n',
  'svc/core/__init__.py': '"""Core objects."""\n',
  'svc/core/canonical.py': `"""The canonical home of the core objects."""

DEFAULT_TIMEOUT = 30


class Settings:
    """Service settings."""

    def __init__(self, name: str = "default", timeout: int = DEFAULT_TIMEOUT) -> None:
        self.name = name
        self.timeout = timeout


class Manager:
    """Owns the service's resources."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.name = self.settings.name

    @classmethod
    def from_settings(cls, settings):
        return cls(settings)


_MANAGER = None


def get_manager() -> Manager:
    global _MANAGER
    if _MANAGER is None:
        _MANAGER = Manager()
    return _MANAGER


__all__ = ["DEFAULT_TIMEOUT", "Manager", "Settings", "get_manager"]
`,
  'svc/core/legacy.py': `"""Old home of the core objects: kept as a re-export while callers migrate."""

from svc.core.canonical import DEFAULT_TIMEOUT, Manager, get_manager
from svc.core.canonical import Settings as Config


def describe() -> str:
    """Not moved: stays here until this module is deleted."""
    return "compat shim"


__all__ = ["Config", "DEFAULT_TIMEOUT", "Manager", "describe", "get_manager"]
`,
  'svc/core/legacy_tools.py': `"""Unrelated module whose name merely starts with 'legacy'."""


class LegacyTool:
    """Talks to the old mainframe; nothing to do with svc.core.legacy."""

    def __init__(self, name: str = "tool") -> None:
        self.name = name


def run_tool(tool: LegacyTool, schema=None) -> str:
    return f"{tool.name}:{schema!r}"
`,
  'svc/api/__init__.py': '"""The new API client package."""\n',
  'svc/api/client.py': `"""HTTP client."""

Timeout = 10.0


class ApiClient:
    def __init__(self, base_url: str = "http://localhost", timeout: float = Timeout) -> None:
        self.base_url = base_url
        self.timeout = timeout
`,
  'svc/api/types.py': `"""Wire types."""


class Payload(dict):
    """A JSON object."""
`,
  'svc/oldapi/__init__.py': '"""Deprecated: moved to svc.api (whole package)."""\n\nfrom svc.api import client, types\n\n__all__ = ["client", "types"]\n',
  'svc/oldapi/client.py': '"""Deprecated alias of svc.api.client."""\n\nfrom svc.api.client import ApiClient, Timeout\n\n__all__ = ["ApiClient", "Timeout"]\n',
  'svc/oldapi/types.py': '"""Deprecated alias of svc.api.types."""\n\nfrom svc.api.types import Payload\n\n__all__ = ["Payload"]\n',
  'svc/utils/__init__.py': '"""Utilities."""\n',
  'svc/utils/jsonx.py': `"""JSON helpers (new home)."""

import json


def dumps(obj, **kw) -> str:
    return json.dumps(obj, sort_keys=True, **kw)


def loads(text: str):
    return json.loads(text)
`,
  'svc/utils/oldjson.py': '"""Deprecated: moved to svc.utils.jsonx."""\n\nfrom svc.utils.jsonx import dumps, loads\n\n__all__ = ["dumps", "loads"]\n',
  'svc/utils/oldjson_schema.py': '"""Unrelated module whose name merely starts with \'oldjson\'."""\n\n\nclass Schema:\n    fields: tuple = ()\n',
  'svc/utils/text.py': `"""Text helpers."""

import re

_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(value: str) -> str:
    return _SLUG.sub("-", value.lower()).strip("-")


def truncate(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
`,
  'svc/models/__init__.py': '"""Models."""\n',
  'svc/models/base.py': `"""Model base classes."""


class Field:
    def __init__(self, default=None, *, required: bool = False) -> None:
        self.default = default
        self.required = required


class BaseModel:
    fields: dict = {}

    def __init__(self, **values) -> None:
        self.__dict__.update(values)
`,
  'svc/routes/__init__.py': '"""HTTP routes."""\n',
  'svc/services/__init__.py': '"""Services."""\n',
  'svc/jobs/__init__.py': '"""Background jobs."""\n',
  'tests/__init__.py': '',
};

/** First-party imports the filler may use: all resolve to names defined in FIXED modules. */
const FILLER_FIRST_PARTY = [
  'from svc.models.base import BaseModel, Field\n',
  'from svc.utils.text import slugify, truncate\n',
  'from svc.utils.jsonx import dumps, loads\n',
  'from svc.api.client import ApiClient\n',
  'from svc.api import types as api_types\n',
  'import svc.core.canonical\n',
];
const STDLIB_BASE = ['asyncio', 'dataclasses', 'enum', 'logging', 're', 'sys', 'typing'];
const STDLIB_EXTRA = ['collections', 'functools', 'itertools', 'json', 'os', 'pathlib', 'time', 'uuid', 'hashlib', 'datetime'];

/** A module's dotted package and name: svc/services/g003/x_1.py -> ['svc.services.g003', 'x_1']. */
function moduleOf(m) {
  const parts = m.rel.slice(0, -3).split('/');
  return [parts.slice(0, -1).join('.'), parts[parts.length - 1]];
}

const MEMBERS = new WeakMap();
/** The filler modules by package (computed once per module list). */
function packageMembers(modules) {
  let m = MEMBERS.get(modules);
  if (!m) {
    m = new Map();
    for (const x of modules) {
      const p = moduleOf(x)[0];
      if (!m.has(p)) m.set(p, []);
      m.get(p).push(x);
    }
    MEMBERS.set(modules, m);
  }
  return m;
}

/**
 * The realistic profile's imports (calibrated, bench/README.md): 0-3 of the standard library, and
 * in 90% of the files a handful of the project's own modules (siblings, other filler modules, the
 * fixed helpers; mean ~5, every one resolves). In `needleShare` of the files, one of them names a
 * module whose name holds a needle without being a finding (`svc.core.legacy_tools`, ...): real
 * code imports the neighbours of its legacy modules everywhere.
 */
function realisticImports(r, f, modules, needs, profile) {
  const out = [];
  const std = new Set();
  const nStd = r.range(0, 3);
  for (let j = 0; j < nStd; j++) std.add(r.pick(r.chance(0.5) ? STDLIB_BASE : STDLIB_EXTRA));
  if (f.test && r.chance(0.5)) std.add('unittest');
  if (needs.has('importlib')) std.add('importlib');
  for (const x of [...std].sort()) out.push(`import ${x}\n`);
  if (needs.has('mock') || (f.test && r.chance(0.3))) out.push('from unittest import mock\n');
  out.push('\n');
  if (r.chance(0.9)) {
    const n = Math.min(14, 1 + Math.floor(-Math.log(1 - r.next()) * 4.2));
    const siblings = packageMembers(modules).get(moduleOf(f)[0]).filter((m) => m !== f);
    for (let j = 0; j < n; j++) {
      const x = r.next();
      if (x < 0.2) out.push(r.pick(FILLER_FIRST_PARTY));
      else if (x < 0.4 && siblings.length > 0 && f.pkg[0] === 'svc') out.push(`from . import ${moduleOf(r.pick(siblings))[1]}\n`);
      else {
        const [p, name] = moduleOf(modules[r.int(modules.length)]);
        out.push(r.chance(0.06) ? `import ${p}.${name}\n` : `from ${p} import ${name}\n`);
      }
    }
  }
  if (r.chance(profile.needleShare)) {
    out.push(r.pick([
      'from svc.core.legacy_tools import LegacyTool\n',
      'from svc.core.legacy_tools import LegacyTool, run_tool\n',
      'from svc.utils.oldjson_schema import Schema\n',
      'from svc.core.canonical import Manager  # replaces the legacy manager\n',
    ]));
  }
  return out.join('');
}

function canonToml() {
  const moves = [
    ...SYMBOL_MOVES.map((m) => `[[move]]\nfrom = "${LEGACY}:${m.fromName}"\nto = "${CANONICAL}:${m.toName}"\n`),
    ...MODULE_MOVES.map((m) => `[[move]]\nfrom = "${m.from}"\nto = "${m.to}"\n`),
  ];
  const areas = AREAS.map((a) => `[[area]]\nname = "${a.name}"\npaths = ["${a.glob}"]\npriority = "${a.priority}"\n`);
  return `# Generated by bench/gen.mjs (synthetic benchmark tree). Do not edit.\n\n${moves.join('\n')}\n${areas.join('\n')}\n`.replace(/\n+$/, '\n');
}

// ---------------------------------------------------------------------------------------------

export function generate({ out, profile: profileName = DEFAULT_PROFILE, files, mb, seed = DEFAULTS.seed, quiet = false }) {
  const t0 = process.hrtime.bigint();
  const profile = PROFILES[profileName];
  if (!profile) throw new Error(`unknown profile ${profileName} (profiles: ${Object.keys(PROFILES).join(', ')})`);
  files ??= profile.files;
  mb ??= profile.mb;
  const realistic = profile.name === 'realistic';
  const say = quiet ? () => {} : (s) => process.stderr.write(s + '\n');
  if (!out) throw new Error('--out DIR is required');
  if (!(files >= 100)) throw new Error('--files must be >= 100');
  if (!(mb > 0)) throw new Error('--mb must be > 0');
  prepareOut(out);
  UID = 0;

  const rLayout = makeRng(seed * 4 + 1);
  const rPool = makeRng(seed * 4 + 2);
  const rPlant = makeRng(seed * 4 + 3);
  const rFill = makeRng(seed * 4 + 4);

  const srcPool = buildPool(rPool, profile.srcWeights, 1500);
  const testPool = buildPool(rPool, profile.testWeights, 600);
  const avgBlock = (p) => p.reduce((s, b) => s + b.length, 0) / p.length;

  // --- layout: which modules exist ---
  const modules = []; // { rel, pkg, test }
  const dirs = new Set();
  let assigned = 0;
  TOPS.forEach((top, ti) => {
    const count = ti === TOPS.length - 1 ? files - assigned : Math.floor(files * top.share);
    assigned += count;
    dirs.add(top.dir);
    for (let i = 0; i < count; i++) {
      let dir = top.dir;
      if (i >= DIRECT_FILES) dir = `${top.dir}/g${String(Math.floor((i - DIRECT_FILES) / GROUP_SIZE)).padStart(3, '0')}`;
      dirs.add(dir);
      const base = top.test ? `test_${rLayout.pick(NOUNS)}_${rLayout.pick(VERBS)}_${i}` : `${rLayout.pick(NOUNS)}_${rLayout.pick(VERBS)}_${i}`;
      const rel = `${dir}/${base}.py`;
      modules.push({ rel, pkg: dir.split('/'), test: !!top.test });
    }
  });

  // --- target sizes: mean-1 factors with a heavy tail, scaled so they sum to mb MiB ---
  const totalTarget = Math.ceil(mb * 1024 * 1024);
  // synthetic: ~0.3-1.7x the mean, 1% at 4-8x; realistic: log-normal with sigma 1.26, as the
  // standard library's sizes (median ~0.45x the mean, 10% under ~0.1x, 1% over ~8x), capped at 25x.
  const factors = modules.map(() => {
    const u = rLayout.next();
    if (realistic) {
      const z = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * rLayout.next());
      return Math.min(25, Math.exp(1.26 * z));
    }
    return rLayout.chance(0.01) ? 4 + 4 * u : 0.3 + 1.4 * u;
  });
  const fsum = factors.reduce((s, x) => s + x, 0);
  const targets = factors.map((x) => Math.ceil((x / fsum) * totalTarget));

  // --- planting plan ---
  const order = rPlant.shuffle(modules.map((_, i) => i));
  const nPlanted = Math.max(1, Math.round(files * profile.plantedShare));
  const nDecoyOnly = Math.max(1, Math.round(files * profile.decoyOnlyShare));
  const plantedIdx = order.slice(0, nPlanted).sort((a, b) => a - b);
  const decoyOnlyIdx = order.slice(nPlanted, nPlanted + nDecoyOnly).sort((a, b) => a - b);
  const plan = new Map(); // module index -> { forms: [form], decoys: [decoy], unresolved: n }
  const cycle = rPlant.shuffle(FORMS.slice());
  for (const i of plantedIdx) {
    const f = modules[i];
    const k = 1 + (rPlant.chance(0.45) ? 1 : 0) + (rPlant.chance(0.15) ? 1 : 0);
    const forms = [];
    for (let s = 0; s < k; s++) {
      // round-robin over the forms so each appears about equally often; skip ineligible ones
      const j = cycle.findIndex((fm) => fm.ok(f));
      const fm = cycle.splice(j, 1)[0];
      cycle.push(fm);
      forms.push(fm);
    }
    const decoys = rPlant.chance(0.3) ? rPlant.sample(DECOYS, rPlant.range(1, 2)) : [];
    plan.set(i, { forms, decoys, unresolved: 0 });
  }
  for (const i of decoyOnlyIdx) {
    const decoys = rPlant.sample(DECOYS, rPlant.range(2, 4));
    if (rPlant.chance(0.5)) decoys.push(DECOY_SHADOW);
    plan.set(i, { forms: [], decoys, unresolved: 0 });
  }
  // unresolved imports: a few dozen, in planted files that also hold a legacy import
  const nUnresolved = Math.min(60, Math.max(12, Math.round(files / 500)));
  const withLegacy = plantedIdx.filter((i) => plan.get(i).forms.some((fm) => fm.kind === 'legacy-import'));
  for (let u = 0; u < nUnresolved; u++) plan.get(withLegacy[rPlant.int(withLegacy.length)]).unresolved++;

  // --- write ---
  for (const d of [...dirs, ...Object.keys(FIXED).map((p) => path.posix.dirname(p))]) {
    fs.mkdirSync(path.join(out, d), { recursive: true });
  }
  const totals = { files: 0, bytes: 0, legacyImports: 0, unresolved: 0, stringReferences: 0 };
  const byForm = {}, instancesByForm = {}, byMove = {}, byArea = {}, decoys = {};
  const manifest = {};
  const alt = { moduleFromPerName: 0, bareModuleStrings: 0 };
  const write = (rel, text) => {
    const buf = Buffer.from(text, 'utf8');
    fs.writeFileSync(path.join(out, rel), buf);
    totals.files++;
    totals.bytes += buf.length;
  };
  for (const [rel, text] of Object.entries(FIXED)) write(rel, text);
  for (const d of [...dirs].sort()) {
    const rel = `${d}/__init__.py`;
    if (!(rel in FIXED)) write(rel, '');
  }

  for (let i = 0; i < modules.length; i++) {
    const f = modules[i];
    const p = plan.get(i);
    const pool = f.test ? testPool : srcPool;
    const headers = [], bodies = [], needs = new Set();
    let entry = null;
    if (p) {
      entry = { area: areaOf(f.rel), forms: [], 'legacy-import': 0, unresolved: 0, 'string-reference': 0 };
      for (const fm of p.forms) {
        const res = fm.make(rPlant, f);
        if (res.header) headers.push(res.header);
        if (res.body) bodies.push(res.body);
        for (const nd of fm.needs || []) needs.add(nd);
        entry.forms.push(fm.id);
        // A whole-module move's `from M import a, b` counts once per imported name (rule 3).
        const n = res.alt?.perName ?? res.n;
        entry[fm.kind] += n;
        byForm[fm.id] = (byForm[fm.id] || 0) + n;
        instancesByForm[fm.id] = (instancesByForm[fm.id] || 0) + 1;
        if (fm.kind === 'legacy-import') {
          totals.legacyImports += n;
          byArea[entry.area] = (byArea[entry.area] || 0) + n;
          for (const [m, c] of Object.entries(res.moves)) byMove[m] = (byMove[m] || 0) + (res.alt?.perName ? n : c);
        } else if (fm.kind === 'string-reference') totals.stringReferences += n;
        if (res.alt?.perName) alt.moduleFromPerName += res.alt.perName - res.n;
        if (res.alt?.bareModule) alt.bareModuleStrings += res.alt.bareModule;
      }
      for (let u = 0; u < p.unresolved; u++) {
        const res = UNRESOLVED_FORM.make(rPlant);
        headers.push(res.header);
        entry.forms.push('unresolved');
        entry.unresolved += 1;
        totals.unresolved += 1;
        byForm.unresolved = (byForm.unresolved || 0) + 1;
        instancesByForm.unresolved = (instancesByForm.unresolved || 0) + 1;
      }
      for (const d of p.decoys) {
        if (d.header) headers.push(d.header());
        bodies.push(d.make());
        decoys[d.id] = (decoys[d.id] || 0) + 1;
        entry.forms.push(d.id);
      }
      manifest[f.rel] = entry;
    }

    // header
    const parts = [];
    const w = `${rFill.pick(VERBS)} ${rFill.pick(NOUNS)}`;
    parts.push(`"""${cap(w)} ${f.test ? 'tests' : 'module'}.\n\n${sentence(rFill)}\n${sentence(rFill)}\n${rFill.chance(0.2) ? rFill.pick(UNICODE_NOTES) + '\n' : ''}"""\n`);
    if (rFill.chance(0.5)) parts.push('from __future__ import annotations\n');
    parts.push('\n');
    if (realistic) parts.push(realisticImports(rFill, f, modules, needs, profile));
    else {
      const std = new Set(STDLIB_BASE);
      for (const x of STDLIB_EXTRA) if (rFill.chance(0.25)) std.add(x);
      if (f.test) std.add('unittest');
      if (needs.has('importlib')) std.add('importlib');
      for (const x of [...std].sort()) parts.push(`import ${x}\n`);
      if (needs.has('mock') || (f.test && rFill.chance(0.5))) parts.push('from unittest import mock\n');
      parts.push('\n');
      const fp = rFill.range(0, 2);
      for (let j = 0; j < fp; j++) parts.push(rFill.pick(FILLER_FIRST_PARTY));
      if (rFill.chance(0.1)) parts.push('from svc.core.canonical import Manager, get_manager\n');
    }
    if (headers.length) { parts.push('\n'); parts.push(headers.join('')); }
    parts.push('\nlog = logging.getLogger(__name__)\n\n\n');
    let size = 0;
    for (const s of parts) size += s.length;
    for (const b of bodies) size += b.length + 3;

    // filler blocks up to the target size, planted bodies spliced in at random positions
    const blocks = [];
    const target = targets[i];
    while (size < target || blocks.length === 0) {
      const b = pool[rFill.int(pool.length)];
      blocks.push(b);
      size += b.length + 2;
    }
    for (const b of bodies) blocks.splice(rFill.int(blocks.length + 1), 0, b);
    parts.push(blocks.join('\n\n'));
    write(f.rel, parts.join(''));
  }

  fs.writeFileSync(path.join(out, 'canon.toml'), canonToml());
  fs.writeFileSync(path.join(out, 'expected-files.json'), JSON.stringify(manifest, null, 1) + '\n');
  const sortObj = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const expected = {
    generator: 'bench/gen.mjs',
    generatorVersion: GENERATOR_VERSION,
    generatorHash: generatorHash(),
    params: { profile: profile.name, files, mb, seed },
    files: totals.files,
    bytes: totals.bytes,
    legacyImports: totals.legacyImports,
    unresolved: totals.unresolved,
    stringReferences: totals.stringReferences,
    byForm: sortObj(byForm),
    instancesByForm: sortObj(instancesByForm),
    byMove: sortObj(byMove),
    byArea: sortObj(byArea),
    decoys: sortObj(decoys),
    // Counts under the two readings of the rules that scanners have disagreed on (README):
    alternatives: {
      legacyImportsIfModuleFromCountsPerStatement: totals.legacyImports - alt.moduleFromPerName,
      stringReferencesIfBareSymbolModuleNotCounted: totals.stringReferences - alt.bareModuleStrings,
    },
    plantedFiles: plantedIdx.length,
    decoyOnlyFiles: decoyOnlyIdx.length,
    fillerModules: modules.length,
    moves: [...SYMBOL_MOVES.map((m) => ({ from: `${LEGACY}:${m.fromName}`, to: `${CANONICAL}:${m.toName}` })),
      ...MODULE_MOVES.map((m) => ({ from: m.from, to: m.to }))],
  };
  // written last: its presence marks a complete tree
  fs.writeFileSync(path.join(out, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  say(`gen: ${totals.files} .py files, ${(totals.bytes / 1048576).toFixed(1)} MiB in ${secs.toFixed(1)}s ` +
    `(pool avg block ${Math.round(avgBlock(srcPool))} B); planted ${plantedIdx.length} files: ` +
    `legacy-import ${totals.legacyImports}, unresolved ${totals.unresolved}, string-reference ${totals.stringReferences}`);
  return expected;
}

/** sha1 of this file: a cached tree is stale when the generator changed. */
export function generatorHash() {
  return crypto.createHash('sha1').update(fs.readFileSync(new URL(import.meta.url))).digest('hex').slice(0, 16);
}

/** Create `out`, or empty it when it holds a previous generated tree; refuse anything else. */
function prepareOut(out) {
  if (!fs.existsSync(out)) { fs.mkdirSync(out, { recursive: true }); return; }
  const entries = fs.readdirSync(out);
  if (entries.length === 0) return;
  const ours = fs.existsSync(path.join(out, 'canon.toml')) &&
    /^# Generated by bench\/gen\.mjs/.test(fs.readFileSync(path.join(out, 'canon.toml'), 'utf8'));
  if (!ours) throw new Error(`${out} is not empty and does not look like a generated tree; refusing to overwrite`);
  for (const e of entries) fs.rmSync(path.join(out, e), { recursive: true, force: true });
}

function parseArgs(argv) {
  const o = { profile: DEFAULT_PROFILE, files: undefined, mb: undefined, seed: DEFAULTS.seed, quiet: false, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--out') o.out = val();
    else if (a === '--profile') o.profile = val();
    else if (a === '--files') o.files = Number(val());
    else if (a === '--mb') o.mb = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--quiet') o.quiet = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node bench/gen.mjs --out DIR [--profile realistic|synthetic] [--files N] [--mb N] [--seed 1] [--quiet]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new Error('--seed must be a non-negative integer');
  if (o.files !== undefined && !Number.isInteger(o.files)) throw new Error('--files must be an integer');
  return o;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    generate(parseArgs(process.argv.slice(2)));
  } catch (e) {
    process.stderr.write(`gen: ${e.message}\n`);
    process.exit(2);
  }
}
