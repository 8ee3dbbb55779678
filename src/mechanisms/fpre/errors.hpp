#pragma once
// How the fpre module words a rejected input: "fpre: <name> = <found>,
// expected <expected>" (spec 000 §6.2), with doubles printed round-trip.

#include <sstream>
#include <stdexcept>
#include <string>

namespace mechsweep::fpre::detail {

inline std::string show(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

[[noreturn]] inline void reject(const std::string& name, const std::string& found, const std::string& expected) {
  throw std::invalid_argument("fpre: " + name + " = " + found + ", expected " + expected);
}

}  // namespace mechsweep::fpre::detail
