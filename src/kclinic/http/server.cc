// Boost 1.74 with g++ 12: <utility> must come before any Asio header (DESIGN.md, known traps).
#include <utility>

#include "kclinic/http/server.h"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <thread>

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

// Hands `events` to the group-committing writer and resumes once they are durable (or failed),
// without holding any thread while the batch is written.
awaitable<Status> AwaitDurable(app::AuditWriter& writer, std::vector<domain::AuditEvent> events) {
  auto initiate = [&writer, events = std::move(events)](auto handler) mutable {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    writer.SubmitAll(std::move(events), [shared](const Status& s) {
      auto ex = asio::get_associated_executor(*shared);
      asio::dispatch(ex, [shared, s]() mutable { (*shared)(s); });
    });
  };
  co_return co_await asio::async_initiate<decltype(use_awaitable), void(Status)>(
      std::move(initiate), use_awaitable);
}

void AddSecurityHeaders(bhttp::response<bhttp::string_body>& res, bool html) {
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  if (html) {
    res.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  }
}

}  // namespace

struct Server::Impl {
  Api& api;
  ServerOptions options;
  asio::io_context io;
  asio::thread_pool workers;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};

  Impl(Api& a, ServerOptions o)
      : api(a),
        options(std::move(o)),
        io(options.io_threads > 0 ? options.io_threads
                                  : std::max(1u, std::thread::hardware_concurrency())),
        workers(std::max(1, options.worker_threads)) {}

  int IoThreads() const {
    return options.io_threads > 0
               ? options.io_threads
               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        continue;  // e.g. too many open files: keep serving the connections we have
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(acceptor.get_executor(), Serve(std::move(socket)), asio::detached);
    }
  }

  static Request ToRequest(const bhttp::request<bhttp::string_body>& in) {
    Request r;
    r.method = std::string(in.method_string());
    r.target = std::string(in.target());
    for (const auto& field : in) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto [it, inserted] = r.headers.emplace(name, std::string(field.value()));
      if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
    }
    r.body = in.body();
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

  awaitable<void> Serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(1 << 20);  // 1 MiB: no request of ours is bigger
      parser.header_limit(32 * 1024);
      stream.expires_after(std::chrono::seconds(60));
      boost::system::error_code ec;
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
          ec == asio::error::eof || ec == asio::error::connection_reset) {
        break;
      }
      Response response;
      bool keep_alive = false;
      unsigned version = 11;
      auto started = std::chrono::steady_clock::now();
      Request req;
      if (ec) {
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
        if (auto quick = api.HandleInline(req)) {
          response = std::move(*quick);
        } else {
          Handled handled = co_await RunHandlerOnPool(workers, [this, &req] {
            app::AuditDeferral deferral;
            Response r = api.Handle(req);
            return Handled{std::move(r), deferral.Take()};
          });
          response = std::move(handled.response);
          if (!handled.audit.empty()) {
            // A request is answered only once its audit events are durable (DESIGN.md).
            Status durable = co_await AwaitDurable(api.audit_writer(), std::move(handled.audit));
            if (!durable.ok()) {
              spdlog::error(R"("msg":"audit write failed; answer withheld","code":"{}")",
                            StatusCodeName(durable.code()));
              std::string_view route = response.route;
              response = ErrorResponse(
                  Status(StatusCode::kUnavailable, "the audit trail is unavailable; try again"));
              response.route = route;
            }
          }
        }
        Log(req, response, std::chrono::steady_clock::now() - started);
      }

      bhttp::response<bhttp::string_body> res;
      res.version(version);
      res.result(static_cast<bhttp::status>(response.status));
      res.set(bhttp::field::server, "kclinic");
      if (!response.body.empty() || response.status != 204) {
        res.set(bhttp::field::content_type, response.content_type);
      }
      bool is_api = req.path.rfind("/api/", 0) == 0;
      if (is_api) res.set(bhttp::field::cache_control, "no-store");
      AddSecurityHeaders(res, response.content_type.rfind("text/html", 0) == 0);
      for (auto& [name, value] : response.headers) res.insert(name, value);
      if (req.method == "HEAD") {
        res.content_length(response.body.size());
      } else {
        res.body() = std::move(response.body);
        res.prepare_payload();
      }
      res.keep_alive(keep_alive && !ec);
      stream.expires_after(std::chrono::seconds(60));
      boost::system::error_code wec;
      co_await bhttp::async_write(stream, res, asio::redirect_error(use_awaitable, wec));
      if (wec || ec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
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
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(StatusCode::kUnavailable, "cannot listen on " + impl_->options.host + ":" +
                                                std::to_string(impl_->options.port) + ": " +
                                                ec.message());
  }
  asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
  return acceptor.local_endpoint().port();
}

void Server::Start() {
  int n = impl_->IoThreads();
  for (int i = 0; i < n; ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
}

void Server::Run() {
  Start();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

void Server::Stop() {
  if (impl_->stopped.exchange(true)) return;
  asio::post(impl_->io, [this] {
    boost::system::error_code ec;
    impl_->acceptor.close(ec);
  });
  impl_->io.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  }
  impl_->threads.clear();
  impl_->workers.join();
}

}  // namespace kclinic::http
