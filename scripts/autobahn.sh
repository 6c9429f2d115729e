#!/usr/bin/env bash
# RFC 6455 conformance: runs the Autobahn fuzzing client against the echo server built from the production route
# (profile "conformance" in ticker-server/pom.xml). The plugin connects to InetAddress.getLocalHost(); a hosts file
# maps this machine's name to 127.0.0.1 so the suite's traffic stays on loopback on every machine.
# Extra arguments go to Maven, e.g. scripts/autobahn.sh -o -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p ticker-server/target
hosts_file="$PWD/ticker-server/target/autobahn-hosts"
echo "127.0.0.1 $(hostname) localhost" > "$hosts_file"
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djdk.net.hosts.file=$hosts_file"
exec ./mvnw -B -Pconformance -pl ticker-server -am verify "$@"
