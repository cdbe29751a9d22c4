#!/usr/bin/env python3
"""check-modules.py: the layering rules of DEVELOPERS.md and docs/architecture.md, checked on
the sources.

  1. Layers: core/ -> formats/ -> dataset/ -> widgets/ -> app/. A file includes only its own
     layer and the layers below it; core/, formats/ and dataset/ never include GTK, nor does
     boxmark-cli (app/bm-cli*.c, app/boxmark-cli.c).
  2. No two modules include each other, directly or around a longer loop. A module is a type's
     files: bm-foo.c with bm-foo.h, and the files a split type spreads over (bm-foo-bar.c that
     includes bm-foo-private.h) with their headers.

Prints every breach as FILE:LINE: problem and exits 1 when there is one."""
import os
import re
import sys

LAYERS = ['core', 'formats', 'dataset', 'widgets', 'app']
GTK_FREE = {'core', 'formats', 'dataset'}
INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]')


def sources(root):
    for layer in LAYERS:
        folder = os.path.join(root, layer)
        for name in sorted(os.listdir(folder)):
            if name.endswith(('.c', '.h', '.cc')):
                yield layer, os.path.join(layer, name)


def includes(root, path):
    with open(os.path.join(root, path), encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            match = INCLUDE.match(line)
            if match:
                yield number, match.group(1), match.group(2)


def resolve(root, path, kind, name):
    """The project file an include names, or None for a system header."""
    if kind == '<':
        return None
    for candidate in (os.path.join(os.path.dirname(path), name), name):
        candidate = os.path.normpath(candidate)
        if os.path.exists(os.path.join(root, candidate)):
            return candidate
    return None


def stem(path):
    base = os.path.splitext(path)[0]
    return base[:-len('-private')] if base.endswith('-private') else base


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = {path: layer for layer, path in sources(root)}
    graph = {path: [(n, resolve(root, path, k, name), k, name) for n, k, name in includes(root, path)]
             for path in files}
    problems = []

    # 1. layers
    for path, layer in files.items():
        cli = layer == 'app' and (os.path.basename(path).startswith('bm-cli') or path == 'app/boxmark-cli.c')
        for number, target, kind, name in graph[path]:
            if kind == '<' and (name.startswith('gtk/') or name.startswith('gdk/')):
                if layer in GTK_FREE or cli:
                    problems.append(f'{path}:{number}: includes {name}, but {layer}/ must stay GTK-free')
                continue
            if target is None or target.split('/')[0] not in LAYERS:
                continue
            other = target.split('/')[0]
            if LAYERS.index(other) > LAYERS.index(layer):
                problems.append(f'{path}:{number}: includes {target}, a layer above {layer}/')
            if cli and other == 'widgets':
                problems.append(f'{path}:{number}: boxmark-cli includes {target} (widgets/ is GTK)')

    # 2. modules: a split type's files are one module
    module = {path: stem(path) for path in files}
    for path in files:
        for _, target, _, _ in graph[path]:
            if target is not None and target.endswith('-private.h') and path.endswith(('.c', '.cc')) \
               and stem(path).startswith(stem(target) + '-'):
                module[path] = stem(target)
    for path in files:
        if path.endswith('.h') and not path.endswith('-private.h'):
            for ext in ('.c', '.cc'):
                source = os.path.splitext(path)[0] + ext
                if source in module:
                    module[path] = module[source]
    edges = {}
    for path in files:
        for number, target, _, _ in graph[path]:
            if target is not None and target in module and module[target] != module[path]:
                edges.setdefault(module[path], {}).setdefault(module[target], (path, number, target))

    # Tarjan's strongly connected components: any with two modules or more is a loop.
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, {}):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            components.append(component)

    sys.setrecursionlimit(10000)
    for node in sorted(set(module.values())):
        if node not in index:
            visit(node)
    for component in components:
        if len(component) < 2:
            continue
        members = set(component)
        for a in sorted(component):
            for b, (path, number, target) in sorted(edges.get(a, {}).items()):
                if b in members:
                    problems.append(f'{path}:{number}: includes {target}: modules {a} and {b} include each other'
                                    f' (loop: {", ".join(sorted(component))})')

    for problem in problems:
        print(problem)
    n_modules = len(set(module.values()))
    print(f'{len(files)} files in {n_modules} modules: {len(problems)} problems', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
