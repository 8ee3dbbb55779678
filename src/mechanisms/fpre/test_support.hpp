#pragma once
// Helpers shared by the fpre module's tests.

#include <gtest/gtest.h>

#include "core/test_rejection.hpp"
#include "mechanisms/fpre/environment.hpp"

namespace mechsweep::fpre::test_support {

using mechsweep::module_tests::invalid_argument_message;
using mechsweep::module_tests::rejection;

inline Rational q(std::int64_t num, std::int64_t den = 1) { return Rational{num, den}; }

inline int index_of(const Environment& env, const Outcome& x) {
  const auto o = env.find(x);
  EXPECT_TRUE(o.has_value()) << to_string(x);
  return o.value_or(-1);
}

}  // namespace mechsweep::fpre::test_support
