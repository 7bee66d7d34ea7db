#!/usr/bin/env python3
"""The image's structure, checked (docs/design.md, "Layers"):

1. every #include points to the includer's own layer or one below it;
2. no macro name is #defined in two files, outside an allowlist of true
   homonyms (names that mean different things in different places).

Each rule is also tried on a planted mistake, so that a check that can no
longer fail is itself a failure. Prints "structure: N passed, N failed".
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARCHES = ("arm64", "x86_64")

# From the top down; a file may include its own layer and the ones below.
LAYERS = ("arch", "kernel", "drivers", "bench", "root", "entry")


def layer_of(path):
    """The layer of a file of the image, by where it lives; None outside."""
    if path == "boot/main.c":
        return "root"
    if path.startswith("boot/"):
        return "entry"
    if path.startswith("bench/"):
        return "bench"
    if path.startswith("drivers/"):
        return "drivers"
    if re.match(r"kernel/arch/[^/]+/include/", path):
        return "arch"
    if path.startswith("kernel/"):
        return "kernel"
    return None


def arches_of(path):
    """The architectures a file is built for (its include path differs)."""
    m = re.search(r"(?:^|/)(arm64|x86_64)/", path)
    return (m.group(1),) if m else ARCHES


def search_dirs(arch):
    # The image's -I list (Makefile: BASE_CFLAGS, X86_CFLAGS, A64_CFLAGS,
    # LWIP_INC), in its order.
    return (".", "kernel/include", f"kernel/arch/{arch}/include", "drivers/net/include")


INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)
# An include guard: "#ifndef X_H" then "#define X_H" with no value.
GUARD = re.compile(r"^\s*#\s*ifndef\s+(\w+)\s*\n\s*#\s*define\s+\1\s*$", re.M)


def resolve(path, quote, name, arch, files):
    """The tracked file an include names, or None (libc, lwIP, libfdt, EFI)."""
    dirs = search_dirs(arch)
    if quote == '"':
        dirs = (os.path.dirname(path),) + dirs
    for d in dirs:
        cand = os.path.normpath(os.path.join(d, name))
        if cand in files:
            return cand
    return None


def upward_includes(files):
    """(includer, included, layer, layer) for every include that points up."""
    bad = []
    for path, text in sorted(files.items()):
        mine = layer_of(path)
        if mine is None:
            continue
        for quote, name in INCLUDE.findall(text):
            for arch in arches_of(path):
                target = resolve(path, quote, name, arch, files)
                theirs = layer_of(target) if target else None
                if theirs and LAYERS.index(theirs) > LAYERS.index(mine):
                    bad.append((path, target, mine, theirs))
                    break
    return bad


def read_allowlist():
    names = {}
    with open(os.path.join(ROOT, "tests/style/homonyms.txt")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names[line] = True
    return names


def duplicate_defines(files, allow):
    """{name: [files]} for macro names defined in two or more files."""
    where = {}
    for path, text in files.items():
        if not path.endswith((".c", ".h", ".S")):
            continue
        for name in set(DEFINE.findall(text)) - set(GUARD.findall(text)):
            where.setdefault(name, []).append(path)
    return {n: sorted(p) for n, p in where.items() if len(p) > 1 and n not in allow}


def tracked(patterns):
    out = subprocess.run(["git", "ls-files", "--"] + patterns, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()
    files = {}
    for p in out:
        with open(os.path.join(ROOT, p), encoding="utf-8", errors="replace") as f:
            files[p] = f.read()
    return files


def main():
    passed = failed = 0

    def ok(msg):
        nonlocal passed
        passed += 1
        print(f"  ok   {msg}")

    def bad(msg):
        nonlocal failed
        failed += 1
        print(f"  FAIL {msg}")

    image = tracked(["boot", "kernel", "drivers", "bench"])
    if not image:
        bad("no source files of the image found")
    ups = upward_includes(image)
    if ups:
        for src, dst, mine, theirs in ups:
            bad(f"{src} ({mine}) includes {dst} ({theirs}): a layer may include only its own and those below")
    else:
        ok(f"{len(image)} files of the image include only their own layer or lower ones")

    # Planted: a driver that includes a benchmark's header must be caught.
    planted = dict(image)
    victim = "drivers/pci/pci_scan.c"
    planted[victim] = planted.get(victim, "") + "\n#include <bench/bench.h>\n"
    if any(s == victim for s, *_ in upward_includes(planted)):
        ok("a planted upward include (drivers -> bench) is caught")
    else:
        bad("a planted upward include (drivers -> bench) went unseen")

    # Macro names: the image, its host tools and tests (their copies of
    # the image's constants count too).
    code = tracked(["boot", "kernel", "drivers", "bench", "tools", "tests"])
    allow = read_allowlist()
    dups = duplicate_defines(code, allow)
    if dups:
        for name, paths in sorted(dups.items()):
            bad(f"{name} is defined in {len(paths)} files: {' '.join(paths)}")
    else:
        ok(f"no macro name defined twice in {len(code)} files (homonyms allowed: {len(allow)})")
    stale = sorted(n for n in allow if len([p for p, t in code.items()
                                               if p.endswith((".c", ".h", ".S")) and
                                               n in set(DEFINE.findall(t))]) < 2)
    if stale:
        bad(f"tests/style/homonyms.txt names what is no longer defined twice: {' '.join(stale)}")
    else:
        ok("every allowed homonym is still one")

    planted = dict(code)
    planted["kernel/planted.c"] = "#define SZ_4K 4096\n#define SZ_4K_PLANTED 1\n"
    planted["drivers/planted.c"] = "#define SZ_4K_PLANTED 1\n"
    if "SZ_4K_PLANTED" in duplicate_defines(planted, allow):
        ok("a planted duplicate #define is caught")
    else:
        bad("a planted duplicate #define went unseen")

    print(f"structure: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
