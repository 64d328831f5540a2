#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for Berth's pull tests: sits in front of a real loopback
docker-registry and breaks blob downloads on request, so tests can prove the client resumes,
retries, gives up cleanly and never stores a corrupt byte.

  fault_proxy.py --upstream 127.0.0.1:PORT --port-file FILE

It binds 127.0.0.1 on a free port (written to FILE). Control it with plain GETs:
  /__proxy/set?mode=M&count=N&...   arm a fault for the next N matching responses (-1: all)
      mode=reset   after=BYTES   send BYTES of the body, then reset the connection (RST)
      mode=status  code=503 [retry_after=S]   answer CODE instead of the blob
      mode=stall   after=BYTES seconds=S      send BYTES, then go silent for S seconds
      mode=trickle chunk=BYTES delay=S        send the body in small, slow pieces
      mode=flip    after=BYTES                flip one bit at offset BYTES of the body
      mode=redirect                           answer 307 to a second origin (another port of this
                                              proxy), which serves the blob and counts requests
                                              that arrive there carrying an Authorization header
      mode=none                               pass everything through
      min_size=BYTES   only blobs at least this large are hit (default 100000)
      target=manifests fault manifests instead of blobs (min_size then defaults to 0)
  /__proxy/stats    {"blob_bytes": …, "blob_requests": …, "faults": …, "ranges": […],
                     "redirected": …, "redirect_auth_seen": …}
  /__proxy/reset    zero the counters
Only blob GETs (/v2/…/blobs/sha256:…) are ever faulted; manifests and tokens pass through.
"""
import argparse, http.client, json, os, socket, struct, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.fault = {"mode": "none", "count": 0}
        self.blob_bytes = 0
        self.blob_requests = 0
        self.faults = 0
        self.ranges = []
        self.redirects = {}
        self.redirected = 0
        self.redirect_auth_seen = 0
        self.redirect_port = 0

    def take_fault(self, size, redirect=False):
        with self.lock:
            f = dict(self.fault)
            if (f["mode"] == "redirect") != redirect:
                return None
            if f["mode"] == "none" or f["count"] == 0 or size < int(f.get("min_size", 100000)):
                return None
            if f["count"] > 0:
                self.fault["count"] -= 1
            self.faults += 1
            return f


STATE = State()
UPSTREAM = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if os.environ.get("FAULT_PROXY_VERBOSE"):
            sys.stderr.write("proxy: " + fmt % args + "\n")

    def control(self):
        u = urllib.parse.urlparse(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        if u.path == "/__proxy/set":
            f = {"mode": q.get("mode", "none"), "count": int(q.get("count", "1"))}
            for k in ("after", "code", "retry_after", "seconds", "chunk", "delay", "min_size", "target"):
                if k in q:
                    f[k] = q[k]
            with STATE.lock:
                STATE.fault = f
            body = json.dumps(f).encode()
        elif u.path == "/__proxy/stats":
            with STATE.lock:
                body = json.dumps({"blob_bytes": STATE.blob_bytes, "blob_requests": STATE.blob_requests,
                                   "faults": STATE.faults, "ranges": STATE.ranges,
                                   "redirected": STATE.redirected,
                                   "redirect_auth_seen": STATE.redirect_auth_seen}).encode()
        elif u.path == "/__proxy/reset":
            with STATE.lock:
                STATE.blob_bytes = STATE.blob_requests = STATE.faults = 0
                STATE.redirected = STATE.redirect_auth_seen = 0
                STATE.ranges = []
            body = b"{}"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reset_connection(self):
        # SO_LINGER 0 makes close() send an RST: a real "connection reset by peer".
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        try:
            self.connection.close()
        except OSError:
            pass

    def proxy(self, method):
        if self.path.startswith("/__proxy/"):
            return self.control()
        path = self.path
        length = int(self.headers.get("Content-Length") or 0)
        req_body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP and k.lower() != "host"}
        if self.server.server_address[1] == STATE.redirect_port:
            # The second origin: blob storage elsewhere. Credentials must never arrive here.
            rid = path.rsplit("/", 1)[-1]
            with STATE.lock:
                STATE.redirected += 1
                if any(k.lower() == "authorization" for k in headers):
                    STATE.redirect_auth_seen += 1
                target = STATE.redirects.get(rid)
            if not target:
                self.send_error(404)
                return
            path, auth = target
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            if auth:
                headers["Authorization"] = auth
        elif method == "GET" and "/blobs/sha256:" in path and STATE.take_fault(1 << 62, redirect=True):
            rid = os.urandom(8).hex()
            with STATE.lock:
                STATE.redirects[rid] = (path, self.headers.get("Authorization"))
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:%d/__redirected/%s" % (STATE.redirect_port, rid))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        headers["Host"] = UPSTREAM
        conn = http.client.HTTPConnection(UPSTREAM, timeout=120)
        try:
            conn.request(method, path, body=req_body, headers=headers)
            resp = conn.getresponse()
        except OSError as e:
            self.send_error(502, "upstream: %s" % e)
            return
        is_blob = method == "GET" and "/blobs/sha256:" in path and resp.status in (200, 206)
        is_manifest = method == "GET" and "/manifests/" in path and resp.status == 200
        size = int(resp.getheader("Content-Length") or 0)
        fault = None
        if STATE.fault.get("target") == "manifests":
            fault = STATE.take_fault(size + 100000) if is_manifest else None
        elif is_blob:
            fault = STATE.take_fault(size)
        if is_blob:
            with STATE.lock:
                STATE.blob_requests += 1
                STATE.ranges.append(self.headers.get("Range") or "")
        if fault and fault["mode"] == "status":
            resp.read()
            conn.close()
            code = int(fault.get("code", "503"))
            body = b'{"errors":[{"code":"UNAVAILABLE","message":"injected by fault_proxy"}]}'
            self.send_response(code)
            if "retry_after" in fault:
                self.send_header("Retry-After", fault["retry_after"])
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() in HOP:
                continue
            if k.lower() == "location":
                v = v.replace("http://" + UPSTREAM, "http://%s:%d" % self.server.server_address[:2])
            self.send_header(k, v)
        if not resp.getheader("Content-Length") and method != "HEAD" and resp.status not in (204, 304):
            self.close_connection = True
            self.send_header("Connection", "close")
        self.end_headers()
        if method == "HEAD":
            conn.close()
            return
        sent = 0
        after = int(fault.get("after", str(size // 2))) if fault else -1
        try:
            while True:
                chunk = resp.read(65536 if not (fault and fault["mode"] == "trickle") else int(fault.get("chunk", "4096")))
                if not chunk:
                    break
                if fault and fault["mode"] in ("reset", "stall") and sent + len(chunk) >= after:
                    head = chunk[:max(0, after - sent)]
                    self.wfile.write(head)
                    self.wfile.flush()
                    self.count(is_blob, len(head))
                    if fault["mode"] == "stall":
                        time.sleep(float(fault.get("seconds", "60")))
                    self.reset_connection()
                    return
                if fault and fault["mode"] == "flip" and sent <= after < sent + len(chunk):
                    b = bytearray(chunk)
                    b[after - sent] ^= 0x01
                    chunk = bytes(b)
                self.wfile.write(chunk)
                self.count(is_blob, len(chunk))
                sent += len(chunk)
                if fault and fault["mode"] == "trickle":
                    self.wfile.flush()
                    time.sleep(float(fault.get("delay", "0.01")))
        except OSError:
            self.close_connection = True
        finally:
            conn.close()

    def count(self, is_blob, n):
        if is_blob:
            with STATE.lock:
                STATE.blob_bytes += n

    def do_GET(self):
        self.proxy("GET")

    def do_HEAD(self):
        self.proxy("HEAD")

    def do_PUT(self):
        self.proxy("PUT")

    def do_POST(self):
        self.proxy("POST")

    def do_PATCH(self):
        self.proxy("PATCH")

    def do_DELETE(self):
        self.proxy("DELETE")


def main():
    global UPSTREAM
    p = argparse.ArgumentParser()
    p.add_argument("--upstream", required=True)
    p.add_argument("--port-file", required=True)
    a = p.parse_args()
    UPSTREAM = a.upstream
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    second = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    second.daemon_threads = True
    STATE.redirect_port = second.server_address[1]
    threading.Thread(target=second.serve_forever, daemon=True).start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
