#pragma once
// Enum ↔ label for the module's choice parameters: each enum has an array of
// lowercase labels in enumerator order, so one lookup serves them all.

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mechsweep::testdesign {

// The enumerator whose label is `label`; otherwise std::invalid_argument
// "testdesign: unknown <what> '<label>'; allowed: a, b, c".
template <typename Enum, std::size_t N>
Enum parse_label(std::string_view what, std::string_view label, const std::array<std::string_view, N>& labels) {
  for (std::size_t i = 0; i < N; ++i) {
    if (label == labels[i]) return static_cast<Enum>(i);
  }
  std::string message = "testdesign: unknown " + std::string(what) + " '" + std::string(label) + "'; allowed: ";
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) message += ", ";
    message += labels[i];
  }
  throw std::invalid_argument(message);
}

}  // namespace mechsweep::testdesign
