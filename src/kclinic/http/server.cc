// Boost 1.74 with g++ 12: <utility> must come before any Asio header (DESIGN.md, known traps).
#include <utility>

#include "kclinic/http/server.h"

#include <spdlog/spdlog.h>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_set>

#include "kclinic/http/error.h"

namespace kclinic::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

namespace {

struct Handled {
  Response response;
  std::vector<domain::AuditEvent> audit;  // to make durable before the response goes out
};

// Runs `fn` on `pool` and resumes the awaiting coroutine on its own executor with the result.
template <typename Fn>
awaitable<Handled> RunHandlerOnPool(asio::thread_pool& pool, Fn fn) {
  auto initiate = [&pool, fn = std::move(fn)](auto handler) mutable {
    asio::post(pool, [handler = std::move(handler), fn = std::move(fn)]() mutable {
      Handled h = fn();
      auto ex = asio::get_associated_executor(handler);
      asio::dispatch(ex, [handler = std::move(handler), h = std::move(h)]() mutable {
        handler(std::move(h));
      });
    });
  };
  co_return co_await asio::async_initiate<decltype(use_awaitable), void(Handled)>(
      std::move(initiate), use_awaitable);
}

// Completions that another thread hands to one loop, run there by one posted handler for each
// burst rather than one post each. The audit writer completes about half a batch (a dozen
// requests) per loop at once; one post per request cost the writer a lock, an allocation and
// often a wake-up of the loop per request, and the loop a pass through its queue per request.
class LoopInbox {
 public:
  explicit LoopInbox(asio::io_context& loop) : loop_(loop) {}
  LoopInbox(const LoopInbox&) = delete;
  LoopInbox& operator=(const LoopInbox&) = delete;

  // Thread-safe. `fn` runs on the loop, after what was pushed before it.
  void Push(std::function<void()> fn) {
    bool post = false;
    {
      std::lock_guard lock(mu_);
      items_.push_back(std::move(fn));
      post = !posted_;
      posted_ = true;
    }
    if (post) asio::post(loop_, [this] { RunAll(); });
  }

  // The inbox of the loop running on this thread, or null off the loops.
  static LoopInbox*& Current() {
    thread_local LoopInbox* current = nullptr;
    return current;
  }

  // Runs `resume` on the loop of `handler`: through `inbox` when the operation began on a loop,
  // else by a dispatch to the handler's executor.
  template <typename Handler, typename Fn>
  static void Resume(LoopInbox* inbox, Handler& handler, Fn resume) {
    if (inbox != nullptr) {
      inbox->Push(std::move(resume));
    } else {
      asio::dispatch(asio::get_associated_executor(handler), std::move(resume));
    }
  }

 private:
  void RunAll() {
    std::vector<std::function<void()>> items;
    {
      std::lock_guard lock(mu_);
      items.swap(items_);
      posted_ = false;
    }
    for (auto& fn : items) fn();
  }

  asio::io_context& loop_;
  std::mutex mu_;
  std::vector<std::function<void()>> items_;
  bool posted_ = false;
};

// The outcome of making a request's audit events durable: the write's status and, when the
// request was answered from a recent record that the append found changed (served_stale), that
// patient.
struct Durable {
  Status status;
  std::optional<PatientId> stale;
};

// Hands `events` to the group-committing writer and resumes once they are durable (or failed),
// without holding any thread while the batch is written. The events come back to this loop
// with the completion and are freed here, where they were allocated.
awaitable<Durable> AwaitDurable(app::AuditWriter& writer, std::vector<domain::AuditEvent> events) {
  auto initiate = [&writer, events = std::move(events)](auto handler) mutable {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    LoopInbox* inbox = LoopInbox::Current();
    writer.SubmitAll(
        std::move(events), [shared, inbox](const Status& s, std::vector<domain::AuditEvent> back) {
          LoopInbox::Resume(inbox, *shared, [shared, s, back = std::move(back)]() mutable {
            Durable d{s, std::nullopt};
            for (const auto& e : back) {
              if (e.served_stale) d.stale = PatientId(e.patient_id);
            }
            back.clear();
            (*shared)(std::move(d));
          });
        });
  };
  co_return co_await asio::async_initiate<decltype(use_awaitable), void(Durable)>(
      std::move(initiate), use_awaitable);
}

// Reads one patient through the fetcher and resumes on the caller's loop with the result (through
// the loop's inbox, like AwaitDurable: a fetch completes several requests at once).
awaitable<Result<std::shared_ptr<const domain::Patient>>> AwaitFetch(app::PatientFetcher& fetcher,
                                                                     PatientId id) {
  using Fetched = Result<std::shared_ptr<const domain::Patient>>;
  auto initiate = [&fetcher, id = std::move(id)](auto handler) mutable {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    LoopInbox* inbox = LoopInbox::Current();
    fetcher.Fetch(id, [shared, inbox](Fetched r) {
      LoopInbox::Resume(inbox, *shared,
                        [shared, r = std::move(r)]() mutable { (*shared)(std::move(r)); });
    });
  };
  co_return co_await asio::async_initiate<decltype(use_awaitable), void(Fetched)>(
      std::move(initiate), use_awaitable);
}

// The response head as one string: status line, our fixed headers, the handler's headers and the
// framing. Written by hand rather than through Beast's serializer, which built a field list and
// a buffer sequence per answer (together with one loop per core and one idle timer per
// connection, this took /healthz from 0.47x to about 1.0x nginx; bench/README.md).
std::string ResponseHead(const Response& response, unsigned version, bool keep_alive, bool is_api) {
  std::string out;
  out.reserve(512);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += bhttp::obsolete_reason(static_cast<bhttp::status>(response.status));
  out += "\r\nServer: kclinic\r\n";
  const bool no_body =
      response.status / 100 == 1 || response.status == 204 || response.status == 304;
  if (!response.body.empty() || response.status != 204) {
    out += "Content-Type: ";
    out += response.content_type;
    out += "\r\n";
  }
  if (is_api) out += "Cache-Control: no-store\r\n";
  out +=
      "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nX-Frame-Options: "
      "DENY\r\n";
  if (response.content_type.rfind("text/html", 0) == 0) {
    out +=
        "Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self' "
        "'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    // Handlers set these from our own values; a CR or LF would still split the answer.
    for (char c : name) {
      if (c != '\r' && c != '\n' && c != ':') out += c;
    }
    out += ": ";
    for (char c : value) {
      if (c != '\r' && c != '\n') out += c;
    }
    out += "\r\n";
  }
  if (!no_body) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

// One accepted connection. Lives on one event loop, so its fields need no lock.
struct Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)), idle(socket.get_executor()) {}
  tcp::socket socket;
  asio::steady_timer idle;
  std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
  bool handling = false;  // a handler is running: its time is not the client's idleness
  bool closed = false;
  bool loopback = false;  // the client is on this machine (Request::from_loopback)
  std::string address;    // the client's address (Request::source_address)
};

// Closes a connection that has been idle (or stuck mid-request, or not reading our answer) for
// `timeout`. One timer per connection, re-armed only when it fires, instead of a timer
// started and cancelled around every read and write (Beast's tcp_stream), which cost two timer
// queue updates per request.
void WatchIdle(std::shared_ptr<Connection> c, std::chrono::steady_clock::duration timeout) {
  auto due = c->last_activity + timeout;
  c->idle.expires_at(due);
  c->idle.async_wait([c, timeout](const boost::system::error_code& ec) {
    if (ec || c->closed) return;
    auto now = std::chrono::steady_clock::now();
    if (!c->handling && now - c->last_activity >= timeout) {
      boost::system::error_code ignored;
      c->socket.close(ignored);  // the pending read or write ends with an error
      return;
    }
    if (c->handling) c->last_activity = now;
    WatchIdle(c, timeout);
  });
}

}  // namespace

struct Server::Impl {
  Api& api;
  ServerOptions options;
  // One event loop per core, each run by exactly one thread (DESIGN.md: one loop per core). A
  // loop that is never shared needs no locking in its scheduler; two threads on one
  // io_context contended for its mutex on every handler.
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  // One per loop, same index. Declared after `loops`, so destroyed first: a completion left in
  // an inbox at shutdown still holds its coroutine, whose destruction needs the loop.
  std::vector<std::unique_ptr<LoopInbox>> inboxes;
  asio::thread_pool workers;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
  size_t next_loop = 0;
  // Drain(): no new requests are read; the in-flight ones (read, not yet answered) finish.
  std::atomic<bool> draining{false};
  std::atomic<size_t> in_flight{0};
  // The open connections of each loop (same index), touched only on that loop, so that Drain
  // can close the idle ones.
  std::vector<std::unordered_set<Connection*>> open;

  Impl(Api& a, ServerOptions o)
      : api(a), options(std::move(o)), workers(std::max(1, options.worker_threads)) {
    int n = options.io_threads > 0
                ? options.io_threads
                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) {
      loops.push_back(std::make_unique<asio::io_context>(1));
      guards.push_back(asio::make_work_guard(*loops.back()));
      inboxes.push_back(std::make_unique<LoopInbox>(*loops.back()));
    }
    open.resize(loops.size());
    acceptor = std::make_unique<tcp::acceptor>(*loops[0]);
  }

  awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      // Connections go to the loops in turn; each is served wholly on its loop.
      size_t index = next_loop++ % loops.size();
      asio::io_context& loop = *loops[index];
      tcp::socket socket =
          co_await acceptor->async_accept(loop, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
        continue;  // e.g. too many open files: keep serving the connections we have
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto conn = std::make_shared<Connection>(std::move(socket));
      auto peer = conn->socket.remote_endpoint(ec);
      conn->loopback = !ec && peer.address().is_loopback();
      if (!ec) conn->address = peer.address().to_string();
      if (!ec && peer.address().is_v6() && peer.address().to_v6().is_v4_mapped()) {
        auto v4 = asio::ip::make_address_v4(asio::ip::v4_mapped, peer.address().to_v6());
        conn->loopback = v4.is_loopback();
        conn->address = v4.to_string();
      }
      asio::co_spawn(loop, Serve(std::move(conn), index), asio::detached);
    }
  }

  // The client a trusted proxy on this machine names: the last address in X-Forwarded-For (the
  // one the proxy itself added; earlier ones are whatever the client claimed).
  static void ApplyForwardedFor(Request& req) {
    const std::string& forwarded = req.Header("x-forwarded-for");
    if (forwarded.empty()) return;
    std::string_view last = forwarded;
    if (auto comma = last.rfind(','); comma != std::string_view::npos)
      last.remove_prefix(comma + 1);
    while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
    while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
    boost::system::error_code ec;
    auto address = asio::ip::make_address(std::string(last), ec);
    if (ec) return;
    req.source_address = address.to_string();
    req.from_loopback = address.is_loopback();
  }

  static Request ToRequest(bhttp::request<bhttp::string_body>& in) {
    Request r;
    r.method = std::string(in.method_string());
    r.target = std::string(in.target());
    for (const auto& field : in) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto [it, inserted] = r.headers.emplace(std::move(name), std::string(field.value()));
      if (!inserted) {
        it->second += (it->first == "cookie" ? "; " : ", ") + std::string(field.value());
      }
    }
    r.body = std::move(in.body());
    ParseTarget(r);
    return r;
  }

  void Log(const Request& req, const Response& response,
           std::chrono::steady_clock::duration elapsed) {
    if (!options.access_log) return;
    // Route templates only: the raw path and query can carry ids and search text.
    std::string_view route = !response.route.empty()           ? response.route
                             : req.path.rfind("/api/", 0) == 0 ? "unmatched"
                                                               : "static";
    int status = response.status;
    double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    spdlog::info(R"("msg":"request","method":{},"route":{},"status":{},"ms":{:.3f})",
                 nlohmann::json(req.method).dump(), nlohmann::json(route).dump(), status, ms);
  }

  // One attempt at `req` on the loop (Api::HandleWithoutBlocking) under its own AuditDeferral:
  // the answer and its audit events, or nullopt (the attempt's events dropped) with `wanted`
  // set when all it lacked was that patient's record. `counted`: as for Api::Handle.
  std::optional<Handled> TryOnLoop(const Request& req,
                                   std::shared_ptr<const domain::Patient> fetched,
                                   std::optional<PatientId>* wanted, bool counted = true) {
    app::AuditDeferral deferral;
    auto r = api.HandleWithoutBlocking(req, std::move(fetched), wanted, counted);
    if (!r) return std::nullopt;
    return Handled{std::move(*r), deferral.Take()};
  }

  // Runs `req` on the loop when it needs nothing but memory (Api::HandleWithoutBlocking: a
  // cached session and patient record). When all a GET's attempt lacked was one patient's
  // record, fetches it without holding a thread (the reads of requests arriving together share
  // one query; app::PatientFetcher) and tries again on the loop with it. Anything else (a session
  // refresh, a missing record, a failed read, any other route) runs the API on the worker pool:
  // a loop never blocks on a database (a loop that ran SQLite reads itself was no faster under
  // load and, in one run of three, stalled long enough to put the p99 at 70 ms; bench/README.md).
  // `stale`: the first attempt answered from a recent record of this patient that turned out
  // changed (Answer); read it now and try with that. That answer replaces one already counted in
  // the metrics, so it is not counted again.
  awaitable<Handled> Handle(const Request& req, std::optional<PatientId> stale = std::nullopt) {
    const bool counted = !stale.has_value();
    if (req.method == "GET") {
      std::optional<PatientId> wanted = std::move(stale);
      if (!wanted) {
        if (auto h = TryOnLoop(req, nullptr, &wanted)) co_return std::move(*h);
      }
      if (wanted) {
        auto fetched = co_await AwaitFetch(api.patient_fetcher(), *wanted);
        if (fetched.ok()) {
          if (auto h = TryOnLoop(req, std::move(fetched).value(), nullptr, counted)) {
            co_return std::move(*h);
          }
        }
      }
    }
    co_return co_await RunHandlerOnPool(workers, [this, &req, counted] {
      app::AuditDeferral deferral;
      Response r = api.Handle(req, counted);
      return Handled{std::move(r), deferral.Take()};
    });
  }

  // Answers `req`: inline when it touches no database (HandleInline), else through Handle; then
  // waits, without holding a thread, until the request's audit events are durable.
  awaitable<Response> Answer(const Request& req) {
    if (auto quick = api.HandleInline(req)) co_return std::move(*quick);
    Handled handled = co_await Handle(req);
    Status durable;
    if (!handled.audit.empty()) {
      // A request is answered only once its audit events are durable (DESIGN.md).
      Durable d = co_await AwaitDurable(api.audit_writer(), std::move(handled.audit));
      if (d.status.ok() && d.stale) {
        // Answered from a record another server has changed since this one read it
        // (Store::RecentPatient): the answer is dropped and the read done again from the
        // database (a fetched or pooled read, nothing left to confirm), audited once more.
        // Rare: only a change in the moments before the read.
        api.CountStaleRecent();
        handled = co_await Handle(req, std::move(d.stale));
        if (!handled.audit.empty()) {
          d = co_await AwaitDurable(api.audit_writer(), std::move(handled.audit));
        }
      }
      durable = std::move(d.status);
    }
    Response response = std::move(handled.response);
    if (!durable.ok()) {
      spdlog::error(R"("msg":"audit write failed; answer withheld","code":"{}")",
                    StatusCodeName(durable.code()));
      std::string_view route = response.route;
      response = ErrorResponse(
          Status(StatusCode::kUnavailable, "the audit trail is unavailable; try again"));
      response.route = route;
    }
    co_return response;
  }

  // Counts a request in flight from when it has been read until its answer is sent.
  struct InFlight {
    std::atomic<size_t>& n;
    explicit InFlight(std::atomic<size_t>& count) : n(count) { n.fetch_add(1); }
    ~InFlight() { n.fetch_sub(1); }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
  };

  awaitable<void> Serve(std::shared_ptr<Connection> conn, size_t loop_index) {
    tcp::socket& socket = conn->socket;
    beast::flat_buffer buffer;
    open[loop_index].insert(conn.get());
    WatchIdle(conn, options.idle_timeout);
    constexpr size_t kHeaderLimit = 32 * 1024;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(1 << 20);  // 1 MiB: no request of ours is bigger
      parser.header_limit(kHeaderLimit);
      boost::system::error_code ec;
      // The header section is read in full and checked as received before Beast parses it:
      // Beast unfolds an obs-fold, which must be refused instead (HeaderSectionProblem).
      std::string problem;
      for (;;) {
        std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
        if (auto end = data.find("\r\n\r\n"); end != std::string_view::npos) {
          problem = HeaderSectionProblem(data.substr(0, end));
          break;
        }
        if (data.size() > kHeaderLimit) break;  // the parser answers 431
        size_t n = co_await socket.async_read_some(buffer.prepare(4096),
                                                   asio::redirect_error(use_awaitable, ec));
        buffer.commit(n);
        if (ec) break;
      }
      if (!ec && problem.empty()) {
        co_await bhttp::async_read(socket, buffer, parser, asio::redirect_error(use_awaitable, ec));
      }
      if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
          ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
          ec == asio::error::bad_descriptor || !socket.is_open()) {
        break;
      }
      if (!ec && problem.empty()) {
        const auto& in = parser.get();
        std::string codings;  // every Transfer-Encoding field: Beast reads only up to "chunked"
        for (auto [it, end] = in.equal_range(bhttp::field::transfer_encoding); it != end; ++it) {
          if (!codings.empty()) codings += ", ";
          codings += std::string(it->value());
        }
        problem =
            FramingProblem(codings, static_cast<int>(in.count(bhttp::field::host)), in.version());
      }
      conn->last_activity = std::chrono::steady_clock::now();
      std::optional<InFlight> counted;
      counted.emplace(in_flight);
      Response response;
      bool keep_alive = false;
      unsigned version = 11;
      auto started = conn->last_activity;
      Request req;
      if (!problem.empty()) {
        // A request that could be read two ways: answer once and close, so that nothing after
        // it on the connection is taken for a request.
        response = ErrorResponse(400, "bad_request", problem);
        version = parser.is_header_done() ? parser.get().version() : 11;
      } else if (ec) {
        // Malformed HTTP: answer once and close; the connection state is unknown.
        if (ec == bhttp::error::body_limit) {
          response = ErrorResponse(413, "payload_too_large", "the body is over 1 MiB", "body");
        } else if (ec == bhttp::error::header_limit) {
          response = ErrorResponse(431, "headers_too_large", "the request headers are too large");
        } else {
          response = ErrorResponse(400, "bad_request", "malformed HTTP request");
        }
      } else {
        auto& in = parser.get();
        keep_alive = in.keep_alive();
        version = in.version();
        req = ToRequest(in);
        req.from_loopback = conn->loopback;
        req.source_address = conn->address;
        if (options.trust_forwarded_for && conn->loopback) ApplyForwardedFor(req);
        conn->handling = true;
        response = co_await Answer(req);
        conn->handling = false;
        conn->last_activity = std::chrono::steady_clock::now();
        Log(req, response, conn->last_activity - started);
      }
      // A draining server answers what it has read and then closes: the client sends its next
      // request to another server.
      keep_alive = keep_alive && !ec && problem.empty() && !draining.load();
      const bool head = req.method == "HEAD";
      std::string head_text =
          ResponseHead(response, version, keep_alive, req.path.rfind("/api/", 0) == 0);
      const bool send_body = !head && !(response.status / 100 == 1 || response.status == 204 ||
                                        response.status == 304);
      std::array<asio::const_buffer, 2> out{
          asio::buffer(head_text), send_body ? asio::buffer(response.body) : asio::const_buffer()};
      boost::system::error_code wec;
      co_await asio::async_write(socket, out, asio::redirect_error(use_awaitable, wec));
      conn->last_activity = std::chrono::steady_clock::now();
      counted.reset();
      if (wec || ec || !keep_alive) break;
    }
    open[loop_index].erase(conn.get());
    conn->closed = true;
    conn->idle.cancel();
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
  }
};

Server::Server(Api& api, ServerOptions options)
    : impl_(std::make_unique<Impl>(api, std::move(options))) {}

Server::~Server() { Stop(); }

Result<uint16_t> Server::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return InvalidArgument("listen", "is not an IP address: " + impl_->options.host);
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = *impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(StatusCode::kUnavailable, "cannot listen on " + impl_->options.host + ":" +
                                                std::to_string(impl_->options.port) + ": " +
                                                ec.message());
  }
  asio::co_spawn(*impl_->loops[0], impl_->Accept(), asio::detached);
  return acceptor.local_endpoint().port();
}

void Server::Start() {
  for (size_t i = 0; i < impl_->loops.size(); ++i) {
    impl_->threads.emplace_back([io = impl_->loops[i].get(), inbox = impl_->inboxes[i].get()] {
      LoopInbox::Current() = inbox;
      io->run();
    });
  }
}

void Server::Run() {
  Start();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

size_t Server::Drain(std::chrono::steady_clock::duration deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  impl_->draining.store(true);
  impl_->api.SetDraining();
  asio::post(*impl_->loops[0], [this] {
    boost::system::error_code ec;
    impl_->acceptor->close(ec);
  });
  // Connections waiting for a request are closed; one that is being answered closes after its
  // answer (Serve). A request half received is not in flight: nothing of it was done.
  for (size_t i = 0; i < impl_->loops.size(); ++i) {
    asio::post(*impl_->loops[i], [this, i] {
      for (Connection* c : impl_->open[i]) {
        if (c->handling) continue;
        boost::system::error_code ignored;
        c->socket.close(ignored);
      }
    });
  }
  while (impl_->in_flight.load() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return impl_->in_flight.load();
}

void Server::Stop() {
  if (impl_->stopped.exchange(true)) return;
  asio::post(*impl_->loops[0], [this] {
    boost::system::error_code ec;
    impl_->acceptor->close(ec);
  });
  for (auto& guard : impl_->guards) guard.reset();
  for (auto& loop : impl_->loops) loop->stop();
  for (auto& t : impl_->threads) {
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  }
  impl_->threads.clear();
  impl_->workers.join();
  // A fetch or an audit batch under way completes by posting to a loop; let it, while the loops
  // (stopped, so the posted handlers never run) still exist.
  impl_->api.patient_fetcher().Drain();
  impl_->api.audit_writer().Drain();
}

}  // namespace kclinic::http
