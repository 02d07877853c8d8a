#!/usr/bin/env python3
"""An InfraKit instance plugin in plain Python 3 (standard library only).

A plugin is any process that serves JSON-RPC 2.0 over HTTP on a unix socket in the plugins
directory; the socket's file name is the plugin's name. This one keeps its "instances" in memory:
enough to watch a group scale, heal and roll with it.

    python3 instance_plugin.py [--name instance-py] [--plugins-dir DIR]

The socket is DIR/NAME, DIR being --plugins-dir, else $INFRAKIT_PLUGINS_DIR, else
$INFRAKIT_HOME/plugins, else ~/.infrakit/plugins. The InfraKit runtime imports it on its own (it
watches the plugins directory) and can also start and supervise it: see the README's plugin author
guide. SIGTERM or SIGINT stops it and removes the socket.

Served methods: Handshake.Implements and Handshake.Types (what 2017 Go clients and the runtime ask
first), Plugin.Implements (the older handshake), and Instance/0.6.0: Validate, Provision, Label,
Destroy, DescribeInstances; JSON-RPC batches as well. Not handled, for brevity: typed sub-objects.
Check it with the conformance kit: bin/infrakit conformance instance-py
"""
import argparse
import itertools
import json
import os
import signal
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler

INTERFACE = {"Name": "Instance", "Version": "0.6.0"}

instances = {}              # instance ID -> {"Tags": {...}, "LogicalID": ..., "Spec": {...}}
lock = threading.Lock()
ids = itertools.count(1)


class PluginError(Exception):
    """A failure reported to the caller as JSON-RPC error -32000 (the message is for humans)."""


def validate(params):
    props = params.get("Properties")
    if props is not None and not isinstance(props, dict):
        raise PluginError("Properties must be a JSON object")
    return {"OK": True}


def provision(params):
    spec = params.get("Spec") or {}
    with lock:
        iid = "py-%d-%d" % (os.getpid(), next(ids))
        instances[iid] = {"Tags": dict(spec.get("Tags") or {}), "LogicalID": spec.get("LogicalID"), "Spec": spec}
    print("provisioned %s with tags %s" % (iid, spec.get("Tags")), flush=True)
    return {"ID": iid}


def label(params):
    with lock:
        inst = instances.get(params.get("Instance"))
        if inst is None:
            raise PluginError("instance %s not found" % params.get("Instance"))
        inst["Tags"].update(params.get("Labels") or {})
    return {"OK": True}


def destroy(params):
    with lock:
        if instances.pop(params.get("Instance"), None) is None:
            raise PluginError("instance %s not found" % params.get("Instance"))
    print("destroyed %s (%s)" % (params.get("Instance"), (params.get("Context") or {}).get("Reason")), flush=True)
    return {"OK": True}


def describe(params):
    wanted = params.get("Tags") or {}
    with lock:
        found = []
        for iid in sorted(instances):
            inst = instances[iid]
            if all(inst["Tags"].get(k) == v for k, v in wanted.items()):
                d = {"ID": iid, "LogicalID": inst["LogicalID"], "Tags": dict(sorted(inst["Tags"].items())) or None}
                if params.get("Properties"):
                    d["Properties"] = inst["Spec"]
                found.append(d)
    return {"Descriptions": found}


INSTANCE_METHODS = {
    "Instance.Validate": validate,
    "Instance.Provision": provision,
    "Instance.Label": label,
    "Instance.Destroy": destroy,
    "Instance.DescribeInstances": describe,
}


def dispatch(request):
    """Answers one JSON-RPC request object; returns the reply object, or None for a notification."""
    if not isinstance(request, dict):
        return {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "invalid request", "data": None}}
    if request.get("jsonrpc") != "2.0":
        return {"jsonrpc": "2.0", "id": request.get("id"),
                "error": {"code": -32600, "message": "jsonrpc must be 2.0", "data": None}}
    method, params = request.get("method"), request.get("params") or {}
    if isinstance(params, list):        # [obj] is accepted as well
        params = params[0] if params else {}
    reply = {"jsonrpc": "2.0", "id": request.get("id")}
    try:
        if method == "Handshake.Implements":
            reply["result"] = {"APIs": [INTERFACE]}
        elif method == "Handshake.Types":
            reply["result"] = {"Types": {"Instance/0.6.0": ["."]}}
        elif method == "Plugin.Implements":
            reply["result"] = {"Interfaces": [INTERFACE]}
        elif method in INSTANCE_METHODS:
            if params.get("Type", ""):
                raise PluginError("no-plugin:%s" % params["Type"])
            # every Instance reply echoes the request's Type first
            reply["result"] = dict({"Type": ""}, **INSTANCE_METHODS[method](params))
        else:
            reply["error"] = {"code": -32601, "message": 'rpc: can\'t find service "%s"' % method, "data": None}
    except PluginError as e:
        reply["error"] = {"code": -32000, "message": str(e), "data": None}
    return None if "id" not in request else reply


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"     # keep-alive, as the runtime's client expects

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        content_type = self.headers.get("Content-Type", "application/json").split(";")[0].strip()
        if self.path != "/":
            return self.reply(404, "text/plain; charset=utf-8", b"404 page not found\n")
        if content_type != "application/json":
            return self.reply(415, "text/plain; charset=utf-8", b"rpc: unrecognized Content-Type: " + content_type.encode())
        try:
            request = json.loads(body)
            if isinstance(request, list):      # a batch: every call answered, in order
                replies = [r for r in map(dispatch, request) if r is not None]
                reply = replies or None if request else dispatch(None)
            else:
                reply = dispatch(request)
        except ValueError as e:
            reply = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error: %s" % e}}
        out = b"" if reply is None else (json.dumps(reply, separators=(",", ":")) + "\n").encode()
        self.reply(200, "application/json", out)

    def do_GET(self):
        self.reply(405, "text/plain; charset=utf-8", b"rpc: POST method required, received GET")

    def reply(self, status, content_type, out):
        self.send_response(status)
        if out:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, fmt, *args):
        pass


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def plugins_dir(arg):
    if arg:
        return arg
    if os.environ.get("INFRAKIT_PLUGINS_DIR"):
        return os.environ["INFRAKIT_PLUGINS_DIR"]
    home = os.environ.get("INFRAKIT_HOME") or os.path.join(os.path.expanduser("~"), ".infrakit")
    return os.path.join(home, "plugins")


def main():
    parser = argparse.ArgumentParser(description="An InfraKit instance plugin in Python.")
    parser.add_argument("--name", default="instance-py", help="plugin name: the socket's file name")
    parser.add_argument("--plugins-dir", help="where the socket goes")
    args = parser.parse_args()
    directory = plugins_dir(args.plugins_dir)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    path = os.path.join(directory, args.name)
    if os.path.exists(path):
        # never steal a socket someone answers on; remove one left by a dead process
        try:
            import socket
            probe = socket.socket(socket.AF_UNIX)
            probe.connect(path)
            probe.close()
            sys.exit("%s is answered by another process" % path)
        except ConnectionRefusedError:
            os.unlink(path)
    old_umask = os.umask(0o177)        # the socket file is created 0600
    server = Server(path, Handler)
    os.umask(old_umask)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("serving %s on %s" % (args.name, path), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        if os.path.exists(path):
            os.unlink(path)
        print("stopped", flush=True)


if __name__ == "__main__":
    main()
