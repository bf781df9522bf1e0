// The credentials file: what the broker config writer produces, the simulator and server read
// back; and everything hostile a reader might find at that path instead.

#include "transport/credentials_file.hpp"

#include <fcntl.h>
#include <fstream>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/test_broker.hpp"

namespace {

using transport::CredentialsErrorCode;

class CredentialsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testsupport::make_temp_dir("latchkey-credentials");
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes raw bytes with the given mode (umask ignored).
  std::filesystem::path write(std::string_view content, mode_t mode = 0600) {
    const auto path = dir_ / "credentials";
    std::filesystem::remove(path);
    std::ofstream(path, std::ios::binary) << content;
    ::chmod(path.c_str(), mode);
    return path;
  }

  CredentialsErrorCode read_error(const std::filesystem::path& path, std::size_t* line = nullptr) {
    auto read = transport::read_credentials(path);
    EXPECT_FALSE(read.ok());
    if (read.ok()) return CredentialsErrorCode::io_error;
    if (line != nullptr) *line = read.error().line;
    return read.error().code;
  }

  std::filesystem::path dir_;
};

TEST_F(CredentialsFile, WrittenFileIsPrivateAndReadsBackTheSame) {
  transport::Credentials credentials;
  ASSERT_TRUE(credentials.add("server", transport::random_password()));
  ASSERT_TRUE(credentials.add("lock/site1/front", transport::random_password()));
  ASSERT_TRUE(credentials.add("hub/site1/h1", "p@ss!word~"));
  const auto path = dir_ / "credentials";
  ASSERT_TRUE(transport::write_credentials(path, credentials).ok());

  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto read = transport::read_credentials(path);
  ASSERT_TRUE(read.ok()) << transport::describe(read.error());
  EXPECT_EQ(read->entries(), credentials.entries());
  EXPECT_EQ(read->password_for("hub/site1/h1"), std::optional<std::string_view>("p@ss!word~"));
  EXPECT_FALSE(read->password_for("lock/site1/back").has_value());
}

TEST_F(CredentialsFile, CommentsAndBlankLinesAreIgnored) {
  auto read = transport::read_credentials(write("# header\n\nserver abc\n\n# end\n"));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->size(), 1u);
  auto empty = transport::read_credentials(write(""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->size(), 0u);
}

TEST_F(CredentialsFile, RandomPasswordsAreLongUrlSafeAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string password = transport::random_password();
    ASSERT_EQ(password.size(), 32u);
    for (char c : password)
      ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    seen.insert(password);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST_F(CredentialsFile, RefusesAMissingFile) {
  auto read = transport::read_credentials(dir_ / "nope");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, CredentialsErrorCode::cannot_open);
  EXPECT_EQ(read.error().sys_errno, ENOENT);
}

TEST_F(CredentialsFile, RefusesFilesOthersCanRead) {
  EXPECT_EQ(read_error(write("server abc\n", 0644)), CredentialsErrorCode::insecure_permissions);
  EXPECT_EQ(read_error(write("server abc\n", 0640)), CredentialsErrorCode::insecure_permissions);
  EXPECT_EQ(read_error(write("server abc\n", 0602)), CredentialsErrorCode::insecure_permissions);
  EXPECT_TRUE(transport::read_credentials(write("server abc\n", 0400)).ok());
}

TEST_F(CredentialsFile, RefusesADirectoryAFifoAndASymlink) {
  std::filesystem::create_directory(dir_ / "adir");
  ::chmod((dir_ / "adir").c_str(), 0700);
  EXPECT_EQ(read_error(dir_ / "adir"), CredentialsErrorCode::not_regular_file);

  // Opening a FIFO for reading would block until a writer came: the reader must not hang.
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(read_error(dir_ / "fifo"), CredentialsErrorCode::not_regular_file);

  const auto target = write("server abc\n");
  std::filesystem::create_symlink(target, dir_ / "link");
  auto read = transport::read_credentials(dir_ / "link");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, CredentialsErrorCode::cannot_open);
  EXPECT_EQ(read.error().sys_errno, ELOOP);
}

TEST_F(CredentialsFile, RefusesAHugeFileWithoutReadingIt) {
  const auto path = write("");
  ASSERT_EQ(::truncate(path.c_str(), 64 * 1024 * 1024), 0);  // sparse: costs no disk
  EXPECT_EQ(read_error(path), CredentialsErrorCode::too_large);
}

TEST_F(CredentialsFile, RefusesMalformedLinesAndSaysWhich) {
  struct Case {
    std::string content;
    std::size_t line;
  };
  const Case cases[] = {
      {"server\n", 1},                         // no password
      {"server abc\nlock/a/b\n", 2},           // second line has no password
      {"server pass word\n", 1},               // two spaces: a password with a space
      {"server  abc\n", 1},                    // empty field
      {"server abc\r\n", 1},                   // CR is not part of the format
      {std::string("server a\0c\n", 11), 1},   // NUL in the password
      {std::string("ser\0ver abc\n", 12), 1},  // NUL in the login
      {"lock/a:b abc\n", 1},                   // ':' would split the broker's password line
      {"lock/a+ abc\n", 1},                    // wildcard character in a login
      {"/lock abc\n", 1},                      // empty level
      {"lock//a abc\n", 1},
      {"l\xc3\xa4ock abc\n", 1},  // non-ASCII login
      {"server \x01"
       "abc\n",
       1},  // control character in the password
      {"server " + std::string(257, 'x') + "\n", 1},
      {std::string(201, 'l') + " abc\n", 1},
  };
  for (const Case& c : cases) {
    std::size_t line = 0;
    EXPECT_EQ(read_error(write(c.content), &line), CredentialsErrorCode::malformed_line)
        << testing::PrintToString(c.content);
    EXPECT_EQ(line, c.line) << testing::PrintToString(c.content);
  }
}

TEST_F(CredentialsFile, RefusesALoginListedTwice) {
  std::size_t line = 0;
  EXPECT_EQ(read_error(write("server a\nlock/s/l b\nserver c\n"), &line),
            CredentialsErrorCode::duplicate_login);
  EXPECT_EQ(line, 3u);
}

TEST_F(CredentialsFile, AddRefusesInvalidOrDuplicateEntries) {
  transport::Credentials credentials;
  EXPECT_TRUE(credentials.add("server", "x"));
  EXPECT_FALSE(credentials.add("server", "y"));
  EXPECT_FALSE(credentials.add("bad login", "y"));
  EXPECT_FALSE(credentials.add("ok", "bad password"));
  EXPECT_FALSE(credentials.add("ok", ""));
  EXPECT_EQ(credentials.size(), 1u);
}

}  // namespace
