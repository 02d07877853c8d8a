"""A plugin process that is not the Java runtime: an instance plugin on a unix socket, in the
manner of a 2017 Go plugin (Handshake.Implements / Handshake.Types, JSON-RPC over HTTP/1.1).

usage: python3 foreign_plugin.py <socket path>
"""
import json
import os
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

INSTANCES = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(length))
        method, rid, params = req.get("method"), req.get("id"), req.get("params") or {}
        typ = params.get("Type", "")
        result, error = None, None
        if method == "Handshake.Implements":
            result = {"APIs": [{"Name": "Instance", "Version": "0.6.0"}]}
        elif method == "Handshake.Types":
            result = {"Types": {"Instance/0.6.0": ["."]}}
        elif method == "Instance.Provision":
            iid = "py-%d-%d" % (os.getpid(), len(INSTANCES) + 1)
            INSTANCES[iid] = (params.get("Spec") or {}).get("Tags")
            result = {"Type": typ, "ID": iid}
        elif method == "Instance.DescribeInstances":
            result = {"Type": typ, "Descriptions": [
                {"ID": k, "LogicalID": None, "Tags": v} for k, v in sorted(INSTANCES.items())]}
        elif method == "Instance.Destroy":
            if params.get("Instance") in INSTANCES:
                del INSTANCES[params["Instance"]]
                result = {"Type": typ, "OK": True}
            else:
                error = {"code": -32000, "message": "no such instance: %s" % params.get("Instance"), "data": None}
        else:
            error = {"code": -32000, "message": 'rpc: can\'t find service "%s"' % method, "data": None}
        reply = {"jsonrpc": "2.0", "id": rid}
        if error is not None:
            reply["error"] = error
        else:
            reply["result"] = result
        body = (json.dumps(reply, separators=(",", ":")) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    path = sys.argv[1]
    if os.path.exists(path):
        os.unlink(path)  # a stale socket of an earlier run
    server = Server(path, Handler)
    print("ready", flush=True)
    server.serve_forever()
