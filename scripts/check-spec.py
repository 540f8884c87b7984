#!/usr/bin/env python3
"""Check the netlink specs, and that each spec, its uapi header and kmod/ agree.

Documentation/netlink/specs/*.yaml (the families in SPECS below) are the
source of truth. Each must parse as YAML (python3-yaml) and validate
against the kernel's own schema for its protocol level
(Documentation/netlink/genetlink-c.yaml from linux-source-6.12, extracted
by scripts/ynl-src.sh into build/ynl), with python3-jsonschema. Then, in
its uapi header (uapi/ + the spec's uapi-header):
  - every attribute set appears as an enum of <PREFIX><ATTR> in the same
    order starting at 1;
  - every operation appears as <FAMILY>_CMD_<OP>, in order;
  - every flags definition matches the header's #defines bit for bit, and
    every enum definition starting at 1 the header's enum, in order;
  - the family, version and group names match the header's defines;
  - every non-notification operation has an entry in the module's ops
    table (admin-perm ones with GENL_ADMIN_PERM; SKIPped while that
    source is not in the tree) and every notification is sent somewhere
    in kmod/.
Prints TAP, one line a check, each named after its spec file.

Usage: check-spec.py [SCHEMA_DIR]   (default build/ynl/Documentation/netlink)
"""
import re
import sys
from pathlib import Path

top = Path(__file__).resolve().parent.parent
schema_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else \
    top / "build/ynl/Documentation/netlink"
# Each spec: the file under Documentation/netlink/specs and the module
# source with its ops table (notifications may be sent anywhere in kmod/).
# The uapi header is the spec's uapi-header (linux/pktpool.h by default).
SPECS = [
    ("pktpool.yaml", "kmod/netlink.c"),
    ("pktpool_nf.yaml", "kmod/nf/netlink.c"),
    ("pktpool_vdev.yaml", "kmod/vdev/netlink.c"),
]
kmod = "".join(p.read_text() for p in sorted((top / "kmod").rglob("*.c")))

results = []


def check(ok, what, why=""):
    results.append((bool(ok), what, why))


def cname(s):
    return s.upper().replace("-", "_")


def finish():
    failed = 0
    for i, (ok, what, why) in enumerate(results, 1):
        print(("ok " if ok else "not ok ") + f"{i} - {what}")
        if not ok:
            for line in str(why).splitlines():
                print(f"# {line}")
            failed += 1
    print(f"1..{len(results)}")
    sys.exit(1 if failed or not results else 0)


try:
    import yaml
except ImportError as e:
    check(False, "python3-yaml is installed", f"{e}: run scripts/deps.sh")
    finish()

def check_spec(spec_path, code_path):
    """Every check of one spec, names prefixed with its file name."""
    tag = spec_path.name

    def check(ok, what, why=""):
        results.append((bool(ok), f"{tag}: {what}", why))

    def skip(what, why):
        results.append((True, f"{tag}: {what} # SKIP {why}", ""))

    try:
        spec = yaml.safe_load(spec_path.read_text())
        check(isinstance(spec, dict), "the spec parses as YAML into a mapping",
              f"got {type(spec).__name__}")
    except (OSError, yaml.YAMLError) as e:
        check(False, "the spec parses as YAML into a mapping", e)
        return
    if not isinstance(spec, dict):
        return
    uapi_path = top / "uapi" / spec.get("uapi-header", "linux/pktpool.h")
    try:
        uapi = uapi_path.read_text()
    except OSError as e:
        check(False, f"its uapi header {uapi_path.relative_to(top)} exists", e)
        return

    # The kernel's schema for the protocol level the spec names, as YNL picks it.
    level = spec.get("protocol", "genetlink")
    schema_file = schema_dir / f"{level}.yaml"
    try:
        import jsonschema
        schema = yaml.safe_load(schema_file.read_text())
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(spec),
                        key=lambda e: list(e.path))
        check(not errors, f"the spec validates against the kernel's {level}.yaml",
              "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}"
                        for e in errors[:10]))
    except ImportError as e:
        check(False, f"the spec validates against the kernel's {level}.yaml",
              f"{e}: run scripts/deps.sh")
    except OSError as e:
        check(False, f"the spec validates against the kernel's {level}.yaml",
              f"{e}: run scripts/ynl-src.sh")

    def enum_after(first):
        """Names of the uapi enum whose first member is `first`, in order."""
        m = re.search(rf"enum (?:\w+ )?\{{\n\t{first} = 1,[^\n]*\n(.*?)\n\n", uapi,
                      re.S)
        if not m:
            return None
        return [first] + re.findall(r"^\t(\w+),", m.group(1), re.M)


    def define(name):
        """The value of `#define name VALUE` in the uapi header, as text."""
        m = re.search(rf"^#define\s+{name}\s+(.+?)\s*(?:/\*.*)?$", uapi, re.M)
        return m.group(1) if m else None


    def define_int(name):
        v = define(name)
        if v is None:
            return None
        m = re.fullmatch(r"\(1U?L{0,2} << (\d+)\)", v)
        if m:
            return 1 << int(m.group(1))
        return int(v, 0) if re.fullmatch(r"(0x)?[0-9a-fA-F]+", v) else None

    fam = cname(spec["name"])
    check(define(cname(spec.get("c-family-name", f"{fam}-family-name")))
          == f'"{spec["name"]}"', "the family name define matches the spec")
    check(define(cname(spec.get("c-version-name", f"{fam}-family-version")))
          is not None, "the family version define exists")

    for d in spec.get("definitions", []):
        if d.get("type") == "enum":
            prefix = cname(d.get("name-prefix", f"{fam}-{d['name']}-"))
            names = [prefix + cname(e["name"] if isinstance(e, dict) else e)
                     for e in d.get("entries", [])]
            want = names[:1] and names
            got = enum_after(names[0]) if d.get("value-start") == 1 and names \
                else None
            if d.get("value-start") != 1:
                skip(f"enum '{d['name']}' matches the uapi enum",
                     "only enums starting at 1 are compared")
            else:
                check(got == want, f"enum '{d['name']}' matches the uapi enum",
                      f"spec {want} uapi {got}")
        if d.get("type") != "flags":
            continue
        prefix = cname(d.get("name-prefix", f"{fam}-{d['name']}-"))
        start = d.get("value-start", 0)
        want, got = {}, {}
        for i, e in enumerate(d.get("entries", [])):
            e = e if isinstance(e, dict) else {"name": e}
            want[prefix + cname(e["name"])] = 1 << (start + i) \
                if "value" not in e else e["value"]
        for k in want:
            got[k] = define_int(k)
        check(want == got, f"flags '{d['name']}' match the uapi defines",
              f"spec {want} uapi {got}")

    for s in spec.get("attribute-sets", []):
        prefix = cname(s.get("name-prefix", f"{fam}-a-{s['name']}-"))
        want = [prefix + cname(a["name"]) for a in s["attributes"]]
        got = enum_after(want[0]) if want else None
        check(got == want, f"attribute set '{s['name']}' matches the uapi enum",
              f"spec {want} uapi {got}")
        enums = {d["name"] for d in spec.get("definitions", [])}
        for a in s["attributes"]:
            if "enum" in a:
                check(a["enum"] in enums,
                      f"attribute {s['name']}.{a['name']} names a definition",
                      f"no definition '{a['enum']}'")

    op_list = spec["operations"]["list"]
    want = [f"{fam}_CMD_{cname(o['name'])}" for o in op_list]
    got = enum_after(want[0]) if want else None
    check(got == want, "operations match the uapi command enum",
          f"spec {want} uapi {got}")

    for g in spec.get("mcast-groups", {}).get("list", []):
        name = cname(g.get("c-define-name", f"{fam}-mcgrp-{g['name']}"))
        check(define(name) == f'"{g["name"]}"',
              f"multicast group '{g['name']}' matches {name}")

    try:
        code = (top / code_path).read_text()
    except OSError:
        skip("the module implements its operations",
             f"{code_path} is not in this tree")
        return
    for o in op_list:
        cmd = f"{fam}_CMD_{cname(o['name'])}"
        if "event" in o or "notify" in o:
            check(cmd in kmod, f"kmod/ sends notification {o['name']}", "never sent")
            continue
        m = re.search(rf"\{{\s*\.cmd = {cmd},(.*?)\}}", code, re.S)
        check(m, f"{code_path} implements operation {o['name']}",
              "no ops entry")
        if not m:
            continue
        body = m.group(1)
        admin = "admin-perm" in o.get("flags", [])
        check(admin == ("GENL_ADMIN_PERM" in body),
              f"operation {o['name']} is admin-only in kmod/ iff the spec says so")
        for part, fn in (("do", ".doit"), ("dump", ".dumpit")):
            check((part in o) == (fn in body),
                  f"operation {o['name']}: spec and kmod/ agree on '{part}'")


for name, code_path in SPECS:
    check_spec(top / "Documentation/netlink/specs" / name, code_path)
finish()
