#pragma once
// Error types of the engine. Expected outcomes (a skipped clip, a cache miss) are values;
// these exceptions are for what the caller must hear about: bad parameters, unusable input.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ser {

// A user-facing error: the message names the file or parameter and the reason, in one line.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user cancelled (Ctrl-C, the GUI's cancel button) while a step could not leave a usable
// result. `serwb` exits 130 for it, whatever the stage.
class Cancelled : public Error {
 public:
  using Error::Error;
};

// A value quoted in a message, bounded: at most `maxBytes` bytes of it (cut on a UTF-8 character
// boundary, newlines shown as \n), then "... (N bytes)" when it was longer. Every message that
// echoes a value from a file or the command line quotes it through this, so a 50 MB value gives a
// one-line error, not a 50 MB one.
std::string quoteForMessage(std::string_view value, std::size_t maxBytes = 80);

// A parameter outside its valid range. Message: "Parameter 'name' = value is not within range";
// the value is bounded with quoteForMessage.
class ParameterError : public Error {
 public:
  ParameterError(const std::string& name, const std::string& value, const std::string& allowed);
  const std::string& parameter() const { return parameter_; }

 private:
  std::string parameter_;
};

// Helpers that throw ParameterError with a uniform message.
void checkRange(const std::string& name, double value, double lo, double hi);
void checkRangeInt(const std::string& name, long long value, long long lo, long long hi);
void checkPositive(const std::string& name, double value);

}  // namespace ser
