// The HTTP server: Boost.Beast over Asio with C++20 coroutines, one event-loop thread per core,
// and blocking database work on a separate worker pool (DESIGN.md, stack).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "kclinic/base/status.h"
#include "kclinic/http/api.h"

namespace kclinic::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port
  int io_threads = 0;    // 0: one per core
  // Threads for blocking database work. Requests wait for their audit group commit without
  // holding one, so a few per core suffice (bench/README.md).
  int worker_threads = 4;
  bool access_log = true;
  // A connection with no request in progress for this long is closed (also one stuck sending a
  // request, or not reading our answer).
  std::chrono::steady_clock::duration idle_timeout =
      std::chrono::seconds(60);  // one JSON line per request (method, route, status, ms; no data)
  // Behind a reverse proxy on this machine: a request from loopback that carries
  // X-Forwarded-For is from the address the proxy appended last (not from loopback: /metrics
  // then needs its token), so that failed logins are held back per client, not per proxy.
  bool trust_forwarded_for = false;
};

class Server {
 public:
  Server(Api& api, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns the bound port. Unavailable when the address is taken.
  Result<uint16_t> Listen();
  // Serves until Stop(); blocks the calling thread (which becomes one of the io threads).
  void Run();
  // Starts serving on background threads and returns at once.
  void Start();
  // Stops accepting and reading new requests (/readyz answers 503 "draining"), closes idle
  // connections, and waits until every request already read has been answered, or `deadline`
  // has passed. Returns how many were still in flight. Call Stop() after it.
  size_t Drain(std::chrono::steady_clock::duration deadline);
  // Stops accepting, finishes, and joins the threads. Thread-safe; idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kclinic::http
