"""An instance plugin that is a separate process written in another language (Python 3, standard
library only), as a 2017 Go plugin would be: JSON-RPC 2.0 over HTTP/1.1 on a unix socket, both
handshake generations. Instances are files in a state directory, in the file instance plugin's
format (ID, LogicalID, Tags, Spec; written atomically), so they survive a restart of the process.

While the file <control dir>/slow exists, Instance.Provision (and Instance.DescribeInstances asked
for the tag hang=yes) does its work, then writes <control dir>/busy and hangs before answering: a
process killed then loses the answer, not the work.

usage: python3 instance_plugin.py <socket path> <state dir> <control dir>
"""
import json
import os
import random
import socketserver
import sys
import time
from http.server import BaseHTTPRequestHandler

SOCKET, STATE, CONTROL = sys.argv[1:4]


class Refused(Exception):
    pass


def instances():
    out = []
    for name in sorted(os.listdir(STATE)):
        if name.startswith("."):
            continue
        try:
            with open(os.path.join(STATE, name)) as f:
                out.append(json.load(f))
        except (OSError, ValueError):
            pass
    return out


def path_of(iid):
    if not iid or "/" in iid or iid.startswith(".") or "\0" in iid:
        raise Refused("invalid instance ID %r" % iid)
    return os.path.join(STATE, iid)


def write(iid, content):
    tmp = os.path.join(STATE, ".%s.%x.infrakit-tmp" % (iid, random.getrandbits(32)))
    with open(tmp, "w") as f:
        json.dump(content, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path_of(iid))


def matches(tags, wanted):
    return all((tags or {}).get(k, "") == v for k, v in (wanted or {}).items())


def call(method, params):
    typ = params.get("Type", "")
    if method == "Handshake.Implements":
        return {"APIs": [{"Name": "Instance", "Version": "0.6.0"}]}
    if method == "Handshake.Types":
        return {"Types": {"Instance/0.6.0": ["."]}}
    if method == "Plugin.Implements":
        return {"Interfaces": [{"Name": "Instance", "Version": "0.6.0"}]}
    if method == "Instance.Validate":
        return {"Type": typ, "OK": True}
    if method == "Instance.Provision":
        spec = params.get("Spec") or {}
        iid = "py-%016x" % random.getrandbits(64)
        write(iid, {"ID": iid, "LogicalID": spec.get("LogicalID"), "Tags": spec.get("Tags"), "Spec": spec})
        return {"Type": typ, "ID": iid}
    if method == "Instance.Label":
        path = path_of(params.get("Instance", ""))
        if not os.path.exists(path):
            raise Refused("no such instance: %s" % params.get("Instance"))
        with open(path) as f:
            content = json.load(f)
        content["Tags"] = dict(content.get("Tags") or {}, **(params.get("Labels") or {}))
        write(content["ID"], content)
        return {"Type": typ, "OK": True}
    if method == "Instance.Destroy":
        path = path_of(params.get("Instance", ""))
        if not os.path.exists(path):
            raise Refused("no such instance: %s" % params.get("Instance"))
        os.unlink(path)
        return {"Type": typ, "OK": True}
    if method == "Instance.DescribeInstances":
        found = [i for i in instances() if matches(i.get("Tags"), params.get("Tags"))]
        return {"Type": typ, "Descriptions": [
            dict({"ID": i["ID"], "LogicalID": i.get("LogicalID"), "Tags": i.get("Tags")},
                 **({"Properties": i.get("Spec")} if params.get("Properties") else {})) for i in found]}
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(length))
        method, rid, params = req.get("method"), req.get("id"), req.get("params") or {}
        reply = {"jsonrpc": "2.0", "id": rid}
        try:
            result = call(method, params)
            if result is None:
                reply["error"] = {"code": -32601, "message": "rpc: can't find method \"%s\"" % method, "data": None}
            else:
                reply["result"] = result
        except Refused as e:
            reply["error"] = {"code": -32000, "message": str(e), "data": None}
        hangs = method == "Instance.Provision" or (
            method == "Instance.DescribeInstances" and (params.get("Tags") or {}).get("hang") == "yes")
        if hangs and os.path.exists(os.path.join(CONTROL, "slow")):
            open(os.path.join(CONTROL, "busy"), "w").close()
            time.sleep(120)
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
    if os.path.exists(SOCKET):
        os.unlink(SOCKET)  # the stale socket of a killed run
    server = Server(SOCKET, Handler)
    os.chmod(SOCKET, 0o600)
    print("ready", flush=True)
    server.serve_forever()
