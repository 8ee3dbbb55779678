#include "mechanisms/coalition/ic.hpp"

#include "mechanisms/coalition/pattern.hpp"

namespace mechsweep::coalition {

CoalitionIc coalition_ic(const Instance& instance, Coalition s) {
  const ProfileSpace& profiles = instance.profiles();
  const Coalition outsiders = all_agents(instance.agents()) & ~s;
  const auto inside = profiles.embed(s);
  const auto outside = profiles.embed(outsiders);
  std::vector<int> members;
  for (int i = 0; i < instance.agents(); ++i) {
    if (is_member(s, i)) members.push_back(i);
  }

  CoalitionIc result;
  std::vector<std::size_t> gaining(members.size());
  for (std::size_t truth = 0; truth < inside.size(); ++truth) {
    for (std::size_t report = 0; report < inside.size(); ++report) {
      if (report == truth) continue;
      // The misreport is blocked as soon as one member never strictly gains.
      bool blocked = false;
      for (std::size_t m = 0; m < members.size() && !blocked; ++m) {
        bool gains_somewhere = false;
        for (std::size_t o = 0; o < outside.size(); ++o) {
          const std::size_t true_profile = inside[truth] + outside[o];
          const int i = members[m];
          if (instance.strictly_greater(instance.uf(i, true_profile, inside[report] + outside[o]),
                                        instance.uf(i, true_profile, true_profile))) {
            gains_somewhere = true;
            gaining[m] = o;
            break;
          }
        }
        blocked = !gains_somewhere;
      }
      if (blocked) continue;
      ++result.violations;
      if (!result.witness) result.witness = IcViolation{s, truth, report, gaining};
    }
  }
  result.holds = result.violations == 0;
  return result;
}

IcTable::IcTable(const Instance& instance) : agents_(instance.agents()) {
  by_coalition_.resize(std::size_t{1} << agents_);
  for (Coalition s = 1; s < by_coalition_.size(); ++s) by_coalition_[s] = coalition_ic(instance, s);
}

bool IcTable::holds_for(const Pattern& pattern) const {
  for (Coalition s : pattern.coalitions()) {
    if (!holds(s)) return false;
  }
  return true;
}

bool IcTable::epic() const {
  for (int i = 0; i < agents_; ++i) {
    if (!holds(singleton(i))) return false;
  }
  return true;
}

bool IcTable::rcic() const {
  for (Coalition s = 1; s < by_coalition_.size(); ++s) {
    if (!holds(s)) return false;
  }
  return true;
}

std::uint64_t IcTable::total_violations() const {
  std::uint64_t total = 0;
  for (Coalition s = 1; s < by_coalition_.size(); ++s) total += by_coalition_[s].violations;
  return total;
}

}  // namespace mechsweep::coalition
