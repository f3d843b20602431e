// The HTTP server's own framing, on raw sockets: keep-alive and close, HEAD and 204 answers,
// connections spread over the event loops, and the idle timeout that closes a silent client.
// The answers are written by hand (server.cc, ResponseHead), so these pin what Beast's
// serializer used to guarantee.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <future>
#include <string>
#include <thread>

#include "support.h"

namespace kclinic::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// One raw HTTP answer: the head as sent, and the body as framed by Content-Length.
struct RawAnswer {
  std::string head;
  std::string body;
  bool has(const std::string& line) const { return head.find(line + "\r\n") != std::string::npos; }
  std::string Header(const std::string& name) const {
    auto at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    at += name.size() + 4;
    return head.substr(at, head.find("\r\n", at) - at);
  }
};

class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void Send(const std::string& text) { asio::write(socket_, asio::buffer(text)); }
  // Reads one answer. `head_only`: a HEAD answer, whose Content-Length has no body after it.
  RawAnswer Read(bool head_only = false) {
    RawAnswer a;
    size_t n = asio::read_until(socket_, buf_, "\r\n\r\n");
    a.head.assign(asio::buffers_begin(buf_.data()), asio::buffers_begin(buf_.data()) + n);
    buf_.consume(n);
    std::string length = a.Header("Content-Length");
    if (!head_only && !length.empty()) {
      size_t want = std::stoul(length);
      if (buf_.size() < want) asio::read(socket_, buf_, asio::transfer_exactly(want - buf_.size()));
      a.body.assign(asio::buffers_begin(buf_.data()), asio::buffers_begin(buf_.data()) + want);
      buf_.consume(want);
    }
    return a;
  }
  // True when the server has closed the connection (a read ends with EOF or a reset).
  bool ClosedByServer() {
    boost::system::error_code ec;
    char c;
    socket_.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  asio::streambuf buf_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>("sqlite");
    server_ = std::make_unique<TestServer>(*db_, 12, false, std::chrono::milliseconds(300));
  }
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpServerTest, KeepsTheConnectionForManyRequests) {
  RawConnection c(server_->port());
  for (int i = 0; i < 3; ++i) {
    c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    RawAnswer a = c.Read();
    EXPECT_TRUE(a.head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0) << a.head;
    EXPECT_TRUE(a.has("Content-Type: application/json")) << a.head;
    EXPECT_TRUE(a.has("X-Content-Type-Options: nosniff")) << a.head;
    EXPECT_FALSE(a.has("Connection: close")) << a.head;
    EXPECT_EQ(a.Header("Content-Length"), std::to_string(a.body.size()));
    EXPECT_EQ(nlohmann::json::parse(a.body)["status"], "ok");
  }
}

TEST_F(HttpServerTest, ClosesWhenTheClientAsks) {
  RawConnection c(server_->port());
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  RawAnswer a = c.Read();
  EXPECT_TRUE(a.has("Connection: close")) << a.head;
  EXPECT_TRUE(c.ClosedByServer());
}

TEST_F(HttpServerTest, Http10WithoutKeepAliveIsClosedAndAnsweredIn10) {
  RawConnection c(server_->port());
  c.Send("GET /healthz HTTP/1.0\r\n\r\n");
  RawAnswer a = c.Read();
  EXPECT_TRUE(a.head.rfind("HTTP/1.0 200 OK\r\n", 0) == 0) << a.head;
  EXPECT_TRUE(c.ClosedByServer());
}

TEST_F(HttpServerTest, HeadAnswersTheLengthWithoutTheBody) {
  RawConnection c(server_->port());
  c.Send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  RawAnswer a = c.Read(/*head_only=*/true);
  EXPECT_NE(a.Header("Content-Length"), "0");
  EXPECT_FALSE(a.Header("Content-Length").empty());
  // The next answer on the connection starts right after the head: no body bytes in between.
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  RawAnswer next = c.Read();
  EXPECT_TRUE(next.head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0) << next.head;
}

TEST_F(HttpServerTest, NoContentHasNoLengthAndNoBody) {
  // Log in as a demo prescriber; logout answers 204.
  RawConnection c(server_->port());
  std::string body = R"({"username":"dr.reyes","password":")" + std::string(kDemoPassword) + "\"}";
  c.Send(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  RawAnswer login = c.Read();
  ASSERT_TRUE(login.head.rfind("HTTP/1.1 200", 0) == 0) << login.head;
  std::string cookie = login.Header("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  std::string csrf = nlohmann::json::parse(login.body)["csrf_token"];
  c.Send("POST /api/v1/auth/logout HTTP/1.1\r\nHost: x\r\nCookie: " + cookie +
         "\r\nX-CSRF-Token: " + csrf + "\r\nContent-Length: 0\r\n\r\n");
  RawAnswer out = c.Read();
  EXPECT_TRUE(out.head.rfind("HTTP/1.1 204 No Content\r\n", 0) == 0) << out.head;
  EXPECT_EQ(out.Header("Content-Length"), "");
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(c.Read().head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
}

TEST_F(HttpServerTest, MalformedRequestGets400AndClose) {
  RawConnection c(server_->port());
  c.Send("NOT HTTP AT ALL\r\n\r\n");
  RawAnswer a = c.Read();
  EXPECT_TRUE(a.head.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0) << a.head;
  EXPECT_TRUE(a.has("Connection: close")) << a.head;
  EXPECT_TRUE(c.ClosedByServer());
}

// RFC 9112 §6.3 and §11.2: a request whose body length could be read two ways is answered 400
// once and its connection closed, so a request smuggled in its body is never served. Before the
// fix, `Transfer-Encoding: gzip` with no Content-Length was taken for a request without a body,
// and the body was then answered as a second request.
TEST_F(HttpServerTest, AmbiguousFramingIsRefusedAndNothingAfterItIsServed) {
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string headers[] = {
      "Transfer-Encoding: gzip\r\n",
      "Transfer-Encoding: identity\r\n",
      "Transfer-Encoding: xchunked\r\n",
      "Transfer-Encoding: chunked, identity\r\n",
      "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
      "X-Padding: a\r\n Transfer-Encoding: chunked\r\n",  // obs-fold
      "Host: y\r\n",                                      // a second Host
  };
  for (const auto& h : headers) {
    RawConnection c(server_->port());
    c.Send("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + h +
           "\r\n" + smuggled);
    RawAnswer a = c.Read();
    EXPECT_TRUE(a.head.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0) << h << a.head;
    EXPECT_TRUE(a.has("Connection: close")) << h << a.head;
    EXPECT_TRUE(c.ClosedByServer()) << h << ": a second answer followed";
  }
  // HTTP/1.1 without a Host.
  RawConnection no_host(server_->port());
  no_host.Send("GET /healthz HTTP/1.1\r\n\r\n");
  RawAnswer a = no_host.Read();
  EXPECT_TRUE(a.head.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0) << a.head;
  EXPECT_THAT(a.body, ::testing::HasSubstr("Host"));
  EXPECT_TRUE(no_host.ClosedByServer());
}

TEST_F(HttpServerTest, AChunkedBodyIsStillRead) {
  RawConnection c(server_->port());
  std::string body = R"({"username":"dr.reyes","password":")" + std::string(kDemoPassword) + "\"}";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  c.Send(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
      std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n");
  RawAnswer login = c.Read();
  EXPECT_TRUE(login.head.rfind("HTTP/1.1 200", 0) == 0) << login.head << login.body;
  // The connection stays usable.
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(c.Read().head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
}

TEST_F(HttpServerTest, SilentClientIsClosedAfterTheIdleTimeout) {
  RawConnection silent(server_->port());
  // A client that sent half a request and stopped is closed too.
  RawConnection stuck(server_->port());
  stuck.Send("GET /healthz HTTP/1.1\r\nHo");
  // ClosedByServer blocks until the server closes; the test's own timeout catches a server
  // that never does.
  EXPECT_TRUE(silent.ClosedByServer());
  EXPECT_TRUE(stuck.ClosedByServer());
}

TEST_F(HttpServerTest, ManyConnectionsAtOnceAllAnswered) {
  // Connections go to the event loops in turn; each must be served start to end.
  std::vector<std::future<int>> done;
  for (int t = 0; t < 8; ++t) {
    done.push_back(std::async(std::launch::async, [port = server_->port()] {
      RawConnection c(port);
      int ok = 0;
      for (int i = 0; i < 50; ++i) {
        c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        ok += c.Read().head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0;
      }
      return ok;
    }));
  }
  int total = 0;
  for (auto& f : done) total += f.get();
  EXPECT_EQ(total, 8 * 50);
}

}  // namespace
}  // namespace kclinic::testing
