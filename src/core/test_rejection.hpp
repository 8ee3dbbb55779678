#pragma once
// For the modules' tests: the message of the std::invalid_argument a call
// throws, which is how every mechanism module rejects its inputs.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace mechsweep::module_tests {

// The message, or "" if the call was accepted (for tests that check both).
template <class Call>
std::string rejection(Call call) {
  try {
    call();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

// The message; a call that is accepted fails the test.
template <class Call>
std::string invalid_argument_message(Call call) {
  try {
    call();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected std::invalid_argument";
  return "";
}

}  // namespace mechsweep::module_tests
