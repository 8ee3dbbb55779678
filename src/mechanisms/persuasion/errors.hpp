#pragma once
// How the persuasion module words a rejected input: "persuasion: <what> =
// <found>, expected <expected>" (spec 004 §6.4), with doubles printed so that
// they read back exactly.

#include <sstream>
#include <stdexcept>
#include <string>

namespace mechsweep::persuasion::detail {

inline std::string show(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

[[noreturn]] inline void reject(const std::string& what, const std::string& found, const std::string& expected) {
  throw std::invalid_argument("persuasion: " + what + " = " + found + ", expected " + expected);
}

}  // namespace mechsweep::persuasion::detail
