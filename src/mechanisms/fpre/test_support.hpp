#pragma once
// Helpers shared by the fpre module's tests.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "mechanisms/fpre/environment.hpp"

namespace mechsweep::fpre::test_support {

// The message of a std::invalid_argument thrown by `call`, or "" if none
// (for tests that also check inputs that must be accepted).
template <class Call>
std::string rejection(Call call) {
  try {
    call();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

// Runs `action`, expects std::invalid_argument, and returns its message.
template <typename Action>
std::string invalid_argument_message(Action action) {
  try {
    action();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected std::invalid_argument";
  return "";
}

inline Rational q(std::int64_t num, std::int64_t den = 1) { return Rational{num, den}; }

inline int index_of(const Environment& env, const Outcome& x) {
  const auto o = env.find(x);
  EXPECT_TRUE(o.has_value()) << to_string(x);
  return o.value_or(-1);
}

}  // namespace mechsweep::fpre::test_support
