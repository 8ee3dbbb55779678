#pragma once
// How the persuasion module words a rejected input: "persuasion: <what> =
// <found>, expected <expected>" (spec 004 §6.4), with doubles printed so that
// they read back exactly.

#include <concepts>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mechsweep::persuasion::detail {

template <class Value>
std::string show(const Value& value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

[[noreturn]] inline void reject(const std::string& what, const std::string& found, const std::string& expected) {
  throw std::invalid_argument("persuasion: " + what + " = " + found + ", expected " + expected);
}

// The same with a number (or anything printable) as what was found.
template <class Found>
  requires(!std::convertible_to<const Found&, std::string>)
[[noreturn]] void reject(const std::string& what, const Found& found, const std::string& expected) {
  reject(what, show(found), expected);
}

}  // namespace mechsweep::persuasion::detail
