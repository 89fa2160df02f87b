#pragma once
// Error types of the engine. Expected outcomes (a skipped clip, a cache miss) are values;
// these exceptions are for what the caller must hear about: bad parameters, unusable input.
#include <stdexcept>
#include <string>

namespace ser {

// A user-facing error: the message names the file or parameter and the reason, in one line.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A parameter outside its valid range. Message: "Parameter 'name' = value is not within range".
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
