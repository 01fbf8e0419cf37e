#!/usr/bin/env bash
# Puts the released API that bnd-baseline-maven-plugin compares this build against into the local Maven
# repository, as site.gateway:site.gateway.api:<version>: builds bundles/api from the release commit
# (git archive, so no checkout is touched) and installs that jar under the release version. Does nothing
# when that version is already there. The build calls it before the baseline check (pom.xml); see
# "API governance" in docs/architecture.md.
#   install-baseline.sh <version> <commit> <local repository> <offline: true|false> [mvn]
set -euo pipefail
version=$1 commit=$2 repo=$3 offline=$4 mvn=${5:-mvn}

jar="$repo/site/gateway/site.gateway.api/$version/site.gateway.api-$version.jar"
if [ -f "$jar" ]; then
  exit 0
fi
if ! root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null); then
  echo "API baseline: not a git checkout, so API $version (commit $commit) cannot be built here." >&2
  echo "Install it from a clone (bundles/api/install-baseline.sh), or build with -Dbnd.baseline.skip=true." >&2
  exit 1
fi
if ! git -C "$root" cat-file -e "$commit^{commit}" 2>/dev/null; then
  echo "API baseline: commit $commit (API $version) is not in this clone (a shallow clone?)." >&2
  echo "Fetch the history (git fetch --unshallow), or build with -Dbnd.baseline.skip=true to skip the check." >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$root" archive "$commit" pom.xml bundles/pom.xml bundles/api | tar -x -C "$work"
flags=(-B -ntp -q "-Dmaven.repo.local=$repo" -f "$work/bundles/api/pom.xml")
if [ "$offline" = true ]; then
  flags+=(-o)
fi
echo "API baseline: building site.gateway.api $version from commit $commit"
# package only: a later release commit carries this script's own execution, bound after package
"$mvn" "${flags[@]}" package -DskipTests
built=$(ls "$work"/bundles/api/target/site.gateway.api-*.jar | grep -v -- '-sources\|-javadoc' | head -1)
"$mvn" "${flags[@]}" install:install-file "-Dfile=$built" -DgroupId=site.gateway \
  -DartifactId=site.gateway.api "-Dversion=$version" -Dpackaging=jar -DgeneratePom=true
echo "API baseline: installed $jar"
