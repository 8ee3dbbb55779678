#pragma once
// Helpers shared by the coalition module's tests.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace mechsweep::coalition::test_support {

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

}  // namespace mechsweep::coalition::test_support
