#!/usr/bin/env python3
"""Fails when files of one crate import each other in a circle.

Every path through `crate::`, `super::` or `self::` in a file (in `use` trees and inline,
outside test-only code) is an edge to the file that defines the module it names. A module
and its own sub-modules are left out of each other's edges: a parent re-exporting its children
and a child using its parent's shared types is the normal shape of a Rust module. The crate
root (lib.rs, main.rs) counts with its own code only: what it re-exports belongs to the module
it comes from, and a `main.rs` that calls the commands must not also hold what they use. Any
other
circle (a.rs uses b.rs, which uses a.rs) means the two are one piece cut in the wrong place:
move what both need into a module both import.

Usage: scripts/check-import-cycles.py <crate src dir>...   (no argument: every crate here)
"""
import glob
import os
import re
import sys

# A path, not a macro call (`crate::texts!` names a `#[macro_export]` macro, found by name).
PATH = re.compile(r"\b(crate|super|self)((?:::(?:super|\w+))+)(?![\w!])")
TEST_CODE = re.compile(r"#\[cfg\([^\]]*\btest\b")
USE = re.compile(r"\buse\s+((?:crate|super|self)\b[^;]*);", re.S)


def module_of(src, path):
    parts = os.path.relpath(path, src)[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def expand(tree):
    """`a::{b, c::{d, e}}` → ["a::b", "a::c::d", "a::c::e"] (aliases dropped)."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+\w+", "", tree))
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix, inner, rest = tree[:start], tree[start + 1:i], tree[i + 1:]
                items, level, last = [], 0, 0
                for j, c in enumerate(inner):
                    level += c == "{"
                    level -= c == "}"
                    if c == "," and level == 0:
                        items.append(inner[last:j])
                        last = j + 1
                items.append(inner[last:])
                out = []
                for item in filter(None, items):
                    for sub in expand(item):
                        out.append(prefix + sub + rest if sub != "self" else prefix.rstrip(":"))
                return out
    return [tree]


def resolve(module, path):
    parts = path.split("::")
    head, rest = parts[0], parts[1:]
    if head == "crate":
        base = []
    elif head == "self":
        base = list(module)
    else:
        base = list(module[:-1])
    while rest and rest[0] == "super":
        base, rest = base[:-1], rest[1:]
    return base + rest


def without_tests(text):
    """`text` without the items under a `#[cfg(...test...)]` attribute (to their `;` or the
    brace that closes them)."""
    while True:
        m = TEST_CODE.search(text)
        if not m:
            return text
        i = m.end()
        semi, brace = text.find(";", i), text.find("{", i)
        if brace == -1 or (semi != -1 and semi < brace):
            end = semi + 1 if semi != -1 else len(text)
        else:
            depth, end = 0, len(text)
            for j in range(brace, len(text)):
                depth += text[j] == "{"
                depth -= text[j] == "}"
                if depth == 0:
                    end = j + 1
                    break
        text = text[: m.start()] + text[end:]


def source(path):
    text = re.sub(r"//[^\n]*", "", open(path, encoding="utf-8").read())
    return without_tests(text)


def root_facts(files):
    """The crate root's re-exports (name → path) and the edges of its own code: a path through
    one of its modules outside `mod` and `pub use` lines (`main.rs` calling a command)."""
    text = source(files[()])
    modules = re.findall(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", text, re.M)
    exports = {}
    for tree in re.findall(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]*);", text, re.S):
        for path in expand(tree):
            parts = path.split("::")
            parts = parts[1:] if parts[0] in ("crate", "self") else parts
            exports[parts[-1]] = parts
    code = re.sub(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:mod\s+\w+\s*;|use\s+[^;]*;)", "", text, flags=re.M | re.S)
    used = {(m,) for m in modules if re.search(rf"(?<![\w:]){m}::", code)}
    return exports, used


def scan(src):
    files = {module_of(src, p): p for p in glob.glob(os.path.join(src, "**", "*.rs"), recursive=True)}
    exports, root_uses = root_facts(files) if () in files else ({}, set())
    edges = {(): {u for u in root_uses if u in files}}
    for module, path in files.items():
        if module == () or any(part.startswith("tests") or part.endswith("_tests") for part in module):
            continue
        text = source(path)
        paths = [p for tree in USE.findall(text) for p in expand(tree)]
        paths += [m.group(1) + m.group(2) for m in PATH.finditer(USE.sub("", text))]
        for p in paths:
            target = resolve(module, p)
            # A name the root only re-exports belongs to the module it comes from.
            while target and tuple(target[:1]) not in files and target[0] in exports:
                target = exports[target[0]] + target[1:]
            for i in range(len(target), -1, -1):
                key = tuple(target[:i])
                if key in files:
                    related = key != () and (key[: len(module)] == module or module[: len(key)] == key)
                    if key != module and not related:
                        edges.setdefault(module, set()).add(key)
                    break
    return files, edges


def circles(nodes, edges):
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(100000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return found


def main(dirs):
    if not dirs:
        dirs = sorted(glob.glob("crates/*/src")) + ["src-tauri/src", "ui/src", "e2e/src"]
    failed = False
    for src in dirs:
        files, edges = scan(src)
        for group in circles(files, edges):
            failed = True
            names = ["/".join(m) + ".rs" if m else "(crate root)" for m in group]
            print(f"{src}: import circle between {', '.join(names)}")
            for m in group:
                inner = sorted("/".join(t) + ".rs" if t else "(crate root)" for t in edges.get(m, ()) if t in group)
                print(f"    {'/'.join(m) + '.rs' if m else '(crate root)'} uses {', '.join(inner)}")
    if failed:
        sys.exit(1)
    print(f"no import circles in {len(dirs)} crates")


if __name__ == "__main__":
    main(sys.argv[1:])
