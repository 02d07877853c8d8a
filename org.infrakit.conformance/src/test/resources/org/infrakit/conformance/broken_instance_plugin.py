#!/usr/bin/env python3
"""A deliberately broken instance plugin, for the conformance kit's own tests.

    python3 broken_instance_plugin.py SOCKET [--sticky]

Its three faults, each of which the kit must name:
  * no Handshake.Implements / Handshake.Types (only the older Plugin.Implements);
  * an unknown method answers -32000 instead of -32601;
  * DescribeInstances ignores the tag filter and returns every instance.
Everything else is served correctly, so that nothing but those faults fails. With --sticky, the
first Destroy of each instance answers OK but keeps it (the kit must destroy it at the end).
"""
import itertools
import json
import os
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

instances = {}
ids = itertools.count(1)
sticky = "--sticky" in sys.argv
kept_once = set()


def call(method, p):
    if p.get("Type", ""):
        raise KeyError("no-plugin:%s" % p["Type"])
    if method == "Instance.Validate":
        return {"OK": True}
    if method == "Instance.Provision":
        iid = "broken-%d" % next(ids)
        instances[iid] = dict((p.get("Spec") or {}).get("Tags") or {})
        return {"ID": iid}
    if method == "Instance.Label":
        instances[p["Instance"]].update(p.get("Labels") or {})
        return {"OK": True}
    if method == "Instance.Destroy":
        if sticky and p["Instance"] in instances and p["Instance"] not in kept_once:
            kept_once.add(p["Instance"])
            return {"OK": True}
        del instances[p["Instance"]]
        return {"OK": True}
    if method == "Instance.DescribeInstances":
        # fault: the tag filter is ignored
        return {"Descriptions": [{"ID": i, "LogicalID": None, "Tags": t} for i, t in sorted(instances.items())]}
    return None


def answer(req):
    if not isinstance(req, dict) or req.get("jsonrpc") != "2.0":
        return {"jsonrpc": "2.0", "id": req.get("id") if isinstance(req, dict) else None,
                "error": {"code": -32600, "message": "jsonrpc must be 2.0", "data": None}}
    method, p = req.get("method"), req.get("params") or {}
    if isinstance(p, list):
        p = p[0] if p else {}
    reply = {"jsonrpc": "2.0", "id": req.get("id")}
    if method == "Plugin.Implements":
        reply["result"] = {"Interfaces": [{"Name": "Instance", "Version": "0.6.0"}]}
    else:
        try:
            result = call(method, p)
            if result is None:
                # fault: -32000 where the protocol says -32601
                reply["error"] = {"code": -32000, "message": "rpc: can't find method \"%s\"" % method, "data": None}
            else:
                reply["result"] = dict({"Type": ""}, **result)
        except KeyError as e:
            reply["error"] = {"code": -32000, "message": "not found: %s" % e, "data": None}
    return reply if "id" in req else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/":
            return self.send(404, b"404 page not found\n")
        if self.headers.get("Content-Type", "application/json") != "application/json":
            return self.send(415, b"unsupported content type")
        try:
            req = json.loads(body)
            reply = ([r for r in map(answer, req) if r] or None) if isinstance(req, list) else answer(req)
        except ValueError:
            reply = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error", "data": None}}
        self.send(200, b"" if reply is None else json.dumps(reply).encode() + b"\n")

    def do_GET(self):
        self.send(405, b"POST only")

    def send(self, status, out):
        self.send_response(status)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, fmt, *args):
        pass


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    path = sys.argv[1]
    server = Server(path, Handler)
    print("serving", flush=True)
    try:
        server.serve_forever()
    finally:
        os.unlink(path)
