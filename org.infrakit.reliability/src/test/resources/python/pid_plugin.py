"""An external instance plugin for the launcher of the real runtime (Python 3, standard library only):
JSON-RPC 2.0 over HTTP/1.1 on the unix socket $INFRAKIT_PLUGINS_DIR/<name>, both handshake
generations, Instance/0.6.0. Instance.DescribeInstances answers one instance whose ID and tag "pid"
are the process id, so a caller can tell which process answered. Every call is printed on stdout as
"handled <method> <tags>", so a test can follow the output into the runtime's log.

SIGTERM keeps its default action: the process dies at once and leaves its socket file behind, as a
plugin killed without a chance to clean up would; removing it is the launcher's job.

usage: python3 -u pid_plugin.py --name <name>
"""
import argparse
import json
import os
import socketserver
from http.server import BaseHTTPRequestHandler

ap = argparse.ArgumentParser()
ap.add_argument("--name", required=True, help="socket name in $INFRAKIT_PLUGINS_DIR")
args = ap.parse_args()

PID = os.getpid()
PLUGINS = os.environ["INFRAKIT_PLUGINS_DIR"]
SOCKET = os.path.join(PLUGINS, args.name)


def call(method, params):
    if method == "Handshake.Implements":
        return {"APIs": [{"Name": "Instance", "Version": "0.6.0"}]}
    if method == "Handshake.Types":
        return {"Types": {"Instance/0.6.0": ["."]}}
    if method == "Plugin.Implements":
        return {"Interfaces": [{"Name": "Instance", "Version": "0.6.0"}]}
    if method == "Instance.Validate":
        return {"Type": params.get("Type", ""), "OK": True}
    if method == "Instance.DescribeInstances":
        return {"Type": params.get("Type", ""),
                "Descriptions": [{"ID": "pid-%d" % PID, "LogicalID": None, "Tags": {"pid": str(PID)}}]}
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(length))
        method, params = req.get("method"), req.get("params") or {}
        print("handled %s %s" % (method, json.dumps(params.get("Tags") or {}, sort_keys=True)))
        reply = {"jsonrpc": "2.0", "id": req.get("id")}
        result = call(method, params)
        if result is None:
            reply["error"] = {"code": -32601, "message": "rpc: can't find method \"%s\"" % method, "data": None}
        else:
            reply["result"] = result
        body = (json.dumps(reply, separators=(",", ":")) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    server = Server(SOCKET, Handler)
    os.chmod(SOCKET, 0o600)
    print("pid %d listening on %s" % (PID, SOCKET))
    server.serve_forever()
