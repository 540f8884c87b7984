#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Subscribe to pktpool's monitor group with the kernel's YNL library,
run a command, and print the notifications it caused as one JSON array.

Usage: ynl_monitor.py YNL_DIR SPEC SCHEMA -- CMD [ARGS...]

YNL_DIR is tools/net/ynl of a kernel tree (scripts/ynl-src.sh extracts it
into build/ynl). The subscription is in place before CMD starts, and the
module sends pool and region notifications from the ioctl or the file
release that causes them, so once CMD has exited everything it caused is
queued on the socket: no waiting on a clock. Not a test by itself (not
executable): selftests/tool-tests/ynl.sh runs it.
"""
import json
import subprocess
import sys

sep = sys.argv.index("--")
ynl_dir, spec, schema = sys.argv[1:sep]
cmd = sys.argv[sep + 1:]
sys.path.insert(0, ynl_dir)
from lib import YnlFamily  # noqa: E402  (the path is known only now)

ynl = YnlFamily(spec, schema)
ynl.ntf_subscribe("monitor")
rc = subprocess.run(cmd, stdout=sys.stderr).returncode
if rc:
    sys.exit(f"ynl_monitor: {cmd} exited with {rc}")
ynl.check_ntf()


def plain(v):
    return sorted(v) if isinstance(v, set) else v


print(json.dumps([{"name": m["name"],
                   "msg": {k: plain(v) for k, v in m["msg"].items()}}
                  for m in ynl.async_msg_queue]))
