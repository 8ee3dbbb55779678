#pragma once
// Helpers shared by the coalition module's tests.

#include "core/test_rejection.hpp"

namespace mechsweep::coalition::test_support {

using mechsweep::module_tests::invalid_argument_message;

}  // namespace mechsweep::coalition::test_support
