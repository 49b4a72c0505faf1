#!/usr/bin/env bash
# Runs the vGPU Hub demo: builds everything (server, host agent, native GPU simulator), starts the server on
# embedded PostgreSQL with seeded demo data, then one host agent against a simulated GPU host.
# Data (database, simulated host) is kept in ./data, so a restart keeps your slices. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")"

port="${PORT:-8080}"
token="${VGPUHUB_AGENT_TOKEN:-demo-agent-token-change-me}"
data="${VGPUHUB_DATA_DIR:-data}"
export PORT="$port" VGPUHUB_AGENT_TOKEN="$token" VGPUHUB_DATA_DIR="$data"

echo "Building vGPU Hub (tests skipped; run ./mvnw verify for those)..."
./mvnw -B -q -DskipTests package

mkdir -p "$data"
pids=()
stop() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

java -jar web/target/vgpuhub-server.jar &
pids+=($!)

echo "Waiting for the server on http://localhost:$port ..."
for _ in $(seq 1 120); do
    if curl -fsS "http://localhost:$port/actuator/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "The server stopped; see its output above." >&2; exit 1; fi
    sleep 1
done

agent_jar=$(ls host-agent/target/vgpuhub-host-agent-*-exec.jar | head -n 1)
java -jar "$agent_jar" run --server "http://localhost:$port" --state-dir "$data/agent" --simulate &
pids+=($!)

cat <<INFO

  vGPU Hub demo is running: http://localhost:$port/
  Log in as alice / demo (tenant user), tom / demo (tenant admin), olivia / demo (operator),
  fiona / demo (finance), leo / demo (license administrator).
  Request an A40-8Q on "My slices"; the simulated host agent makes it READY within seconds.
  Server metrics: http://localhost:$port/actuator/prometheus (as olivia); the agent's: http://127.0.0.1:9464/metrics
  Host readiness: java -jar $agent_jar doctor --simulate
  Press Ctrl-C to stop. Data is kept in $data.

INFO
wait -n "${pids[@]}"
