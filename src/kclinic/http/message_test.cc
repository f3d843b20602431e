#include "kclinic/http/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kclinic/http/router.h"

namespace kclinic::http {
namespace {

Request Parse(std::string target) {
  Request r;
  r.target = std::move(target);
  ParseTarget(r);
  return r;
}

TEST(ParseTarget, DecodesPathAndQuery) {
  Request r = Parse("/api/v1/patients?q=ana+s%C3%A9&limit=5&empty");
  EXPECT_EQ(r.path, "/api/v1/patients");
  EXPECT_EQ(r.query.at("q"), "ana s\xc3\xa9");
  EXPECT_EQ(r.query.at("limit"), "5");
  EXPECT_EQ(r.query.at("empty"), "");
  EXPECT_TRUE(r.query_error.empty());
}

TEST(ParseTarget, RejectsBadEscapesAndRepeats) {
  EXPECT_FALSE(Parse("/x?q=%zz").query_error.empty());
  EXPECT_FALSE(Parse("/x?q=%4").query_error.empty());
  EXPECT_FALSE(Parse("/x?q=1&q=2").query_error.empty());
  EXPECT_FALSE(Parse("/x%").query_error.empty());
}

TEST(Request, FindsCookiesAmongOthers) {
  Request r;
  r.headers["cookie"] = "a=1; kclinic_session=tok; b=2";
  EXPECT_EQ(r.Cookie("kclinic_session"), "tok");
  EXPECT_EQ(r.Cookie("kclinic"), "");
  EXPECT_EQ(r.Cookie("b"), "2");
}

TEST(Router, MatchesParamsAndTellsMissingMethodsFromMissingPaths) {
  Router router;
  router.Add({"GET", "/p/{id}", domain::Permission::kPublic, nullptr});
  router.Add({"PATCH", "/p/{id}", domain::Permission::kPublic, nullptr});
  auto hit = router.Find("GET", "/p/42");
  ASSERT_NE(hit.route, nullptr);
  EXPECT_EQ(hit.params.at("id"), "42");
  auto wrong_method = router.Find("DELETE", "/p/42");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_known);
  EXPECT_EQ(wrong_method.allow, "GET, PATCH");
  auto miss = router.Find("GET", "/p/42/x");
  EXPECT_FALSE(miss.path_known);
  EXPECT_FALSE(router.Find("GET", "/p/").path_known);
}

TEST(HeaderSectionProblem, RefusesAFoldedLineOnly) {
  EXPECT_EQ(HeaderSectionProblem("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1"), "");
  EXPECT_EQ(HeaderSectionProblem("GET / HTTP/1.1"), "");
  EXPECT_THAT(HeaderSectionProblem("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2"),
              ::testing::HasSubstr("obs-fold"));
  EXPECT_THAT(HeaderSectionProblem("GET / HTTP/1.1\r\nHost: x\r\n\tTransfer-Encoding: chunked"),
              ::testing::HasSubstr("obs-fold"));
}

TEST(FramingProblem, OnlyAFinalChunkedAndOneHostPass) {
  EXPECT_EQ(FramingProblem("", 1, 11), "");
  EXPECT_EQ(FramingProblem("chunked", 1, 11), "");
  EXPECT_EQ(FramingProblem("Chunked", 1, 11), "");
  EXPECT_EQ(FramingProblem("", 0, 10), "");  // HTTP/1.0 has no Host requirement
  for (const char* te : {"gzip", "identity", "xchunked", "chunked, identity", "chunked;q=1", ","}) {
    EXPECT_THAT(FramingProblem(te, 1, 11), ::testing::HasSubstr("must end in chunked")) << te;
  }
  EXPECT_THAT(FramingProblem("gzip, chunked", 1, 11), ::testing::HasSubstr("but chunked"));
  EXPECT_THAT(FramingProblem("chunked, chunked", 1, 11), ::testing::HasSubstr("but chunked"));
  EXPECT_THAT(FramingProblem("", 0, 11), ::testing::HasSubstr("needs a Host"));
  EXPECT_THAT(FramingProblem("", 2, 11), ::testing::HasSubstr("more than one Host"));
  EXPECT_THAT(FramingProblem("", 2, 10), ::testing::HasSubstr("more than one Host"));
}

TEST(IsJsonMediaType, MatchesTheMediaTypeNotAPrefix) {
  for (const char* t : {"application/json", "APPLICATION/JSON", "application/json; charset=utf-8",
                        " Application/Json ;charset=UTF-8"}) {
    EXPECT_TRUE(IsJsonMediaType(t)) << t;
  }
  for (const char* t : {"application/jsonx", "application/json-patch+json", "text/json", "",
                        "application/jso", "application/x-www-form-urlencoded"}) {
    EXPECT_FALSE(IsJsonMediaType(t)) << t;
  }
}

}  // namespace
}  // namespace kclinic::http
