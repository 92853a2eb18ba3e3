#!/usr/bin/env bash
# Re-fetch the pinned GraphiQL, React and ReactDOM builds from the npm registry into server/static/graphiql/
# and rewrite MANIFEST.json (versions and sha256 of every file). Run it to upgrade (edit the pins) or to
# check that the shipped copy is what the registry serves: `git diff` after it must be empty.
set -euo pipefail

GRAPHIQL_VERSION=3.8.3   # the last GraphiQL with a UMD build (4.x needs a bundler); React 18 (19 has no UMD)
REACT_VERSION=18.3.1

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/server/static/graphiql"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v npm >/dev/null || { echo "refresh-graphiql: npm is needed (apt-get install npm)" >&2; exit 2; }
cd "$work"
for spec in "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION"; do
    tarball="$(npm pack --silent "$spec")"
    name="${spec%@*}"
    mkdir -p "$name" && tar -xzf "$tarball" -C "$name" --strip-components=1
done

mkdir -p "$dest"
rm -f "$dest"/*.js "$dest"/*.css "$dest"/LICENSE.* "$dest"/MANIFEST.json
cp graphiql/graphiql.min.js graphiql/graphiql.min.css "$dest/"
cp graphiql/LICENSE "$dest/LICENSE.graphiql"
cp react/umd/react.production.min.js "$dest/"
cp react/LICENSE "$dest/LICENSE.react"
cp react-dom/umd/react-dom.production.min.js "$dest/"
cp react-dom/LICENSE "$dest/LICENSE.react-dom"

cd "$dest"
{
    printf '{\n  "source": "npm registry (npm pack), refreshed by scripts/refresh-graphiql.sh",\n'
    printf '  "packages": {"graphiql": "%s", "react": "%s", "react-dom": "%s"},\n' "$GRAPHIQL_VERSION" "$REACT_VERSION" "$REACT_VERSION"
    printf '  "files": {\n'
    first=1
    for file in $(ls | grep -v MANIFEST.json | sort); do
        [ $first -eq 1 ] || printf ',\n'
        first=0
        printf '    "%s": "sha256:%s"' "$file" "$(sha256sum "$file" | cut -d' ' -f1)"
    done
    printf '\n  }\n}\n'
} > MANIFEST.json
echo "refreshed $dest:"
cat MANIFEST.json
