# Serving a folder on 127.0.0.1 for the demo and the browser tests (scripts/demo,
# scripts/test-e2e, scripts/test-vite). Source it; it defines functions only.

# A free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# serve_dir DIR PORT [LOG]: Python's http.server on DIR in the background, its output to LOG
# when given; sets $server to its pid. The interpreter itself is run, not a version-manager
# shim, so that $server is the server's own pid.
serve_dir() {
    local python
    python=$(python3 -c 'import sys; print(sys.executable)')
    if [ -n "${3:-}" ]; then
        "$python" -m http.server --bind 127.0.0.1 --directory "$1" "$2" >"$3" 2>&1 &
    else
        "$python" -m http.server --bind 127.0.0.1 --directory "$1" "$2" &
    fi
    server=$!
}

# wait_for_url URL TRIES NAME [LOG]: polls URL every 0.1 s while $server runs. Returns 0 when
# it answers, 1 when the server stopped (saying so, with LOG), 2 after TRIES polls.
wait_for_url() {
    local _
    for _ in $(seq 1 "$2"); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        if ! kill -0 "$server" 2>/dev/null; then
            if [ -n "${4:-}" ]; then
                echo "$3: the web server stopped:" >&2
                cat "$4" >&2
            else
                echo "$3: the web server stopped" >&2
            fi
            return 1
        fi
        sleep 0.1
    done
    return 2
}
