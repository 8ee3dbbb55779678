#include "sweep/config.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/seed.hpp"

namespace mechsweep {
namespace {

constexpr std::string_view kSetWhere = "--set";
constexpr std::array<std::string_view, 5> kTopLevelKeys{"experiment", "seed", "params", "sweep", "description"};
constexpr std::array<std::string_view, 5> kAxisKinds{"linspace", "logspace", "geomspace", "range", "random"};
constexpr std::array<std::string_view, 4> kRandomDists{"uniform", "loguniform", "normal", "integer"};

// ---------------------------------------------------------------------------
// Messages

template <typename Names>
std::string join(const Names& names, std::string_view separator = ", ") {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += separator;
    out += name;
  }
  return out;
}

// Optimal-string-alignment distance: Levenshtein plus adjacent transpositions,
// so "agnle" is one edit from "angle".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// " (did you mean 'x'?)" for the closest candidate within a few edits, else "".
template <typename Names>
std::string suggestion(std::string_view found, const Names& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, found.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(found, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best.empty() ? std::string{} : " (did you mean '" + best + "'?)";
}

// Shortest text that reads back as the same double; integral values without
// an exponent so that ranges like [0, 100000000] read naturally.
std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string format_range(const ParamSpec& spec) {
  return "[" + format_number(spec.min) + ", " + format_number(spec.max) + "]";
}

// ---------------------------------------------------------------------------
// The config tree: YAML with the origin ("file:line" or "--set") of every node,
// map keys in their given order, and duplicate keys rejected.

struct Entry;

struct Node {
  enum class Kind { null, scalar, seq, map };
  Kind kind = Kind::null;
  std::string scalar;
  std::vector<Node> items;
  std::vector<Entry> entries;
  std::string where;

  const Entry* find(std::string_view key) const;
  Entry* find(std::string_view key);
};

struct Entry {
  std::string key;
  std::string where;  // of the key
  Node value;
};

const Entry* Node::find(std::string_view key) const {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

Entry* Node::find(std::string_view key) {
  for (Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::string describe(const Node& node) {
  switch (node.kind) {
    case Node::Kind::null:
      return "nothing";
    case Node::Kind::scalar:
      return "'" + node.scalar + "'";
    case Node::Kind::seq:
      return "a list";
    case Node::Kind::map:
      return "a map";
  }
  return "?";
}

std::string child_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Turns yaml-cpp marks into "source:line" (1-based), or names every node
// "--set" for override values.
class Locator {
 public:
  static Locator file(std::string source) { return Locator(std::move(source), true); }
  static Locator override_value() { return Locator(std::string(kSetWhere), false); }

  std::string at(const YAML::Mark& mark, const std::string& fallback) const {
    if (!with_lines_) return source_;
    if (mark.is_null() || mark.line < 0) return fallback;
    return source_ + ":" + std::to_string(mark.line + 1);
  }
  const std::string& source() const { return source_; }

 private:
  Locator(std::string source, bool with_lines) : source_(std::move(source)), with_lines_(with_lines) {}
  std::string source_;
  bool with_lines_;
};

Node from_yaml(const YAML::Node& yaml, const Locator& locator, const std::string& path, const std::string& fallback) {
  Node node;
  node.where = locator.at(yaml.Mark(), fallback);
  switch (yaml.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      node.kind = Node::Kind::null;
      break;
    case YAML::NodeType::Scalar:
      node.kind = Node::Kind::scalar;
      node.scalar = yaml.Scalar();
      break;
    case YAML::NodeType::Sequence: {
      node.kind = Node::Kind::seq;
      std::size_t index = 0;
      for (const YAML::Node& item : yaml) {
        node.items.push_back(from_yaml(item, locator, child_path(path, std::to_string(index++)), node.where));
      }
      break;
    }
    case YAML::NodeType::Map:
      node.kind = Node::Kind::map;
      for (auto it = yaml.begin(); it != yaml.end(); ++it) {
        const std::string key_where = locator.at(it->first.Mark(), node.where);
        if (!it->first.IsScalar()) {
          throw InputError(key_where, path,
                           "map keys must be plain names, found a " +
                               std::string(it->first.IsSequence() ? "list" : "map or nothing"));
        }
        const std::string key = it->first.Scalar();
        if (const Entry* first = node.find(key)) {
          throw InputError(key_where, child_path(path, key),
                           "duplicate key '" + key + "' (first given at " + first->where + ")");
        }
        // An empty value has no useful mark of its own: point at its key.
        const std::string value_fallback = key_where;
        Node value = from_yaml(it->second, locator, child_path(path, key), value_fallback);
        if (value.kind == Node::Kind::null) value.where = key_where;
        node.entries.push_back(Entry{key, key_where, std::move(value)});
      }
      break;
  }
  return node;
}

std::string where_of_mark(const std::string& source, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return source;
  return source + ":" + std::to_string(mark.line + 1);
}

// Counts the documents the parser reports and where the second one starts.
class DocumentCounter : public YAML::EventHandler {
 public:
  int documents = 0;
  YAML::Mark second;
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents == 2) second = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

Node parse_document(const std::string& text, const std::string& source) {
  // Not YAML::LoadAll: in yaml-cpp 0.7 it loops for ever, allocating, on some
  // malformed input whose parser keeps reporting documents without consuming
  // any (jbeder/yaml-cpp#1319; tests/fuzz found one). A config is one
  // document, so the parser is asked for at most two.
  YAML::Node root;
  DocumentCounter counter;
  try {
    root = YAML::Load(text);
    std::istringstream input(text);
    YAML::Parser parser(input);
    for (int call = 0; call < 2 && parser.HandleNextDocument(counter); ++call) {
    }
  } catch (const YAML::Exception& e) {
    throw InputError(where_of_mark(source, e.mark), "", "invalid YAML: " + e.msg);
  }
  const std::string first_line = source + ":1";
  if (counter.documents > 1) {
    throw InputError(where_of_mark(source, counter.second), "",
                     "invalid YAML: a second document starts here (after a '---', or text the first document "
                     "cannot hold: check the indentation and brackets above); a config is one document");
  }
  if (counter.documents == 0) {
    Node empty;
    empty.where = first_line;
    return empty;
  }
  return from_yaml(root, Locator::file(source), "", first_line);
}

// The root must be a map; an empty document counts as an empty map so that a
// config can be given entirely by --set.
void require_root_map(Node& root) {
  if (root.kind == Node::Kind::null) root.kind = Node::Kind::map;
  if (root.kind != Node::Kind::map) {
    throw InputError(root.where, "", "expected a map with keys " + join(kTopLevelKeys) + ", found " + describe(root));
  }
}

// ---------------------------------------------------------------------------
// --set overrides

struct Override {
  std::string text;
  std::string key;                // dotted, as given
  std::vector<std::string> path;  // key split at '.'
  Node value;
};

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

Override parse_override(const std::string& text) {
  const std::string where(kSetWhere);
  const auto equals = text.find('=');
  if (equals == std::string::npos) {
    throw InputError(where, "", "malformed override '" + text + "': expected dotted.key=value, e.g. params.q=0.5");
  }
  Override o;
  o.text = text;
  o.key = trim(std::string_view(text).substr(0, equals));
  if (o.key.empty()) {
    throw InputError(where, "", "malformed override '" + text + "': the key before '=' is empty");
  }
  std::size_t start = 0;
  while (true) {
    const auto dot = o.key.find('.', start);
    o.path.push_back(o.key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (o.path.back().empty()) {
      throw InputError(where, o.key, "malformed override '" + text + "': the dotted key has an empty part");
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  const std::string value_text = text.substr(equals + 1);
  YAML::Node yaml;
  try {
    yaml = YAML::Load(value_text);
  } catch (const YAML::Exception& e) {
    throw InputError(where, o.key, "malformed override '" + text + "': the value is not valid YAML: " + e.msg);
  }
  o.value = from_yaml(yaml, Locator::override_value(), o.key, where);
  return o;
}

std::optional<std::size_t> parse_index(std::string_view text) {
  std::size_t index = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), index);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  return index;
}

// Where in the config an override puts a parameter. Every parameter lives in
// exactly one place: params, a plain sweep axis, or one zip group.
struct Place {
  enum class Kind { none, params, sweep_axis, zip_group, whole_sweep, whole_zip };
  Kind kind = Kind::none;
  std::size_t group = 0;  // zip group index (0 when zip holds a single map)
};

Node* sweep_zip(Node& root) {
  Entry* sweep = root.find("sweep");
  if (sweep == nullptr || sweep->value.kind != Node::Kind::map) return nullptr;
  Entry* zip = sweep->value.find("zip");
  return zip == nullptr ? nullptr : &zip->value;
}

// The zip groups as maps: the zip map itself, or the map items of a zip list.
std::vector<Node*> zip_groups(Node* zip) {
  std::vector<Node*> groups;
  if (zip == nullptr) return groups;
  if (zip->kind == Node::Kind::map) groups.push_back(zip);
  if (zip->kind == Node::Kind::seq) {
    for (Node& item : zip->items) groups.push_back(item.kind == Node::Kind::map ? &item : nullptr);
  }
  return groups;
}

void add_keys(const Node& map, std::vector<std::string>& names) {
  if (map.kind != Node::Kind::map) return;
  for (const Entry& e : map.entries) names.push_back(e.key);
}

void add_zip_names(const Node& zip, std::vector<std::string>& names) {
  if (zip.kind == Node::Kind::map) add_keys(zip, names);
  if (zip.kind == Node::Kind::seq) {
    for (const Node& group : zip.items) add_keys(group, names);
  }
}

// The place an override writes to, and the parameters it defines there.
std::pair<Place, std::vector<std::string>> place_of(Node& root, const Override& o) {
  const auto& path = o.path;
  std::vector<std::string> names;
  Place place;
  if (path[0] == "params") {
    place.kind = Place::Kind::params;
    if (path.size() == 1) {
      add_keys(o.value, names);
    } else {
      names.push_back(path[1]);
    }
  } else if (path[0] == "sweep") {
    if (path.size() == 1) {
      place.kind = Place::Kind::whole_sweep;
      for (const Entry& e : o.value.entries) {
        if (e.key == "zip") {
          add_zip_names(e.value, names);
        } else {
          names.push_back(e.key);
        }
      }
    } else if (path[1] != "zip") {
      place.kind = Place::Kind::sweep_axis;
      names.push_back(path[1]);
    } else if (path.size() == 2) {
      place.kind = Place::Kind::whole_zip;
      add_zip_names(o.value, names);
    } else {
      const Node* zip = sweep_zip(root);
      if (zip != nullptr && zip->kind == Node::Kind::seq) {
        const auto index = parse_index(path[2]);
        if (!index) return {Place{}, {}};  // set_path reports the bad index
        place = Place{Place::Kind::zip_group, *index};
        if (path.size() == 3) {
          add_keys(o.value, names);
        } else {
          names.push_back(path[3]);
        }
      } else {
        place = Place{Place::Kind::zip_group, 0};
        names.push_back(path[2]);
      }
    }
  }
  return {place, names};
}

bool erase_key(Node& map, const std::string& key) {
  if (map.kind != Node::Kind::map) return false;
  const auto it = std::find_if(map.entries.begin(), map.entries.end(), [&](const Entry& e) { return e.key == key; });
  if (it == map.entries.end()) return false;
  map.entries.erase(it);
  return true;
}

// Removes `names` from every place other than `place`; returns the zip groups
// this left empty.
std::vector<std::size_t> remove_elsewhere(Node& root, const Place& place, const std::vector<std::string>& names) {
  std::vector<std::size_t> emptied;
  Entry* params = root.find("params");
  Entry* sweep = root.find("sweep");
  for (const std::string& name : names) {
    if (params != nullptr && place.kind != Place::Kind::params) erase_key(params->value, name);
    if (sweep == nullptr || place.kind == Place::Kind::whole_sweep) continue;
    if (place.kind != Place::Kind::sweep_axis && name != "zip") erase_key(sweep->value, name);
  }
  // Only now: erasing plain axes above moves the zip entry within `sweep`.
  if (sweep == nullptr || place.kind == Place::Kind::whole_sweep || place.kind == Place::Kind::whole_zip) {
    return emptied;
  }
  const std::vector<Node*> groups = zip_groups(sweep_zip(root));
  for (const std::string& name : names) {
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (groups[g] == nullptr || (place.kind == Place::Kind::zip_group && place.group == g)) continue;
      if (erase_key(*groups[g], name) && groups[g]->entries.empty()) emptied.push_back(g);
    }
  }
  return emptied;
}

// Drops the zip groups that moving parameters out of them left empty (and
// the zip itself when nothing is left), after the override is in place.
void prune_zip(Node& root, std::vector<std::size_t> emptied) {
  Node* zip = sweep_zip(root);
  if (zip == nullptr || emptied.empty()) return;
  if (zip->kind == Node::Kind::seq) {
    std::sort(emptied.rbegin(), emptied.rend());
    for (const std::size_t g : emptied) {
      if (g < zip->items.size() && zip->items[g].kind == Node::Kind::map && zip->items[g].entries.empty()) {
        zip->items.erase(zip->items.begin() + static_cast<std::ptrdiff_t>(g));
      }
    }
  }
  const bool empty =
      (zip->kind == Node::Kind::map && zip->entries.empty()) || (zip->kind == Node::Kind::seq && zip->items.empty());
  if (empty) erase_key(root.find("sweep")->value, "zip");
}

void set_path(Node& root, const Override& o) {
  const std::string where(kSetWhere);
  Node* node = &root;
  for (std::size_t i = 0; i < o.path.size(); ++i) {
    const std::string& part = o.path[i];
    const bool last = i + 1 == o.path.size();
    if (node->kind == Node::Kind::null) {
      node->kind = Node::Kind::map;
      node->where = where;
    }
    if (node->kind == Node::Kind::map) {
      Entry* entry = node->find(part);
      if (entry == nullptr) {
        Node fresh;
        fresh.where = where;
        node->entries.push_back(Entry{part, where, std::move(fresh)});
        entry = &node->entries.back();
      }
      node = &entry->value;
    } else if (node->kind == Node::Kind::seq) {
      const auto index = parse_index(part);
      if (!index || *index >= node->items.size()) {
        throw InputError(where, o.key,
                         "cannot set '" + o.key + "': '" + part + "' is not an index of a list of " +
                             std::to_string(node->items.size()) + " items");
      }
      node = &node->items[*index];
    } else {
      std::vector<std::string> prefix(o.path.begin(), o.path.begin() + static_cast<std::ptrdiff_t>(i));
      throw InputError(where, o.key,
                       "cannot set '" + o.key + "': '" + join(prefix, ".") + "' is " + describe(*node) + ", not a map");
    }
    if (last) *node = o.value;
  }
}

void apply_override(Node& root, const Override& o) {
  const auto [place, names] = place_of(root, o);
  const std::vector<std::size_t> emptied = remove_elsewhere(root, place, names);
  set_path(root, o);
  prune_zip(root, emptied);
}

// ---------------------------------------------------------------------------
// Canonical text

void emit(YAML::Emitter& out, const Node& node) {
  switch (node.kind) {
    case Node::Kind::null:
      out << YAML::Null;
      break;
    case Node::Kind::scalar:
      // Plain "~", "null" or "" would read back as null, not as this text.
      if (node.scalar.empty() || YAML::IsNullString(node.scalar)) out << YAML::DoubleQuoted;
      out << node.scalar;
      break;
    case Node::Kind::seq:
      out << YAML::BeginSeq;
      for (const Node& item : node.items) emit(out, item);
      out << YAML::EndSeq;
      break;
    case Node::Kind::map:
      out << YAML::BeginMap;
      for (const Entry& e : node.entries) {
        out << YAML::Key;
        if (e.key.empty() || YAML::IsNullString(e.key)) out << YAML::DoubleQuoted;
        out << e.key << YAML::Value;
        emit(out, e.value);
      }
      out << YAML::EndMap;
      break;
  }
}

std::string canonical_text(const Node& root) {
  YAML::Emitter out;
  out.SetMapFormat(YAML::Block);
  out.SetSeqFormat(YAML::Block);
  emit(out, root);
  if (!out.good()) throw InputError(root.where, "", "cannot write the config as YAML: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

// ---------------------------------------------------------------------------
// Numbers. Scalars are typed by their text (quoting does not matter), with
// YAML's spellings of infinity and NaN understood so they can be rejected.

std::optional<double> parse_real(std::string_view text) {
  std::string_view t = text;
  bool negative = false;
  if (!t.empty() && (t.front() == '+' || t.front() == '-')) {
    negative = t.front() == '-';
    t.remove_prefix(1);
  }
  if (t == ".inf" || t == ".Inf" || t == ".INF") {
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (t == ".nan" || t == ".NaN" || t == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  if (t.empty() || t.front() == '+' || t.front() == '-') return std::nullopt;
  double value = 0;
  const auto result = std::from_chars(t.data(), t.data() + t.size(), value);
  if (result.ptr != t.data() + t.size()) return std::nullopt;
  if (result.ec == std::errc::result_out_of_range) {
    // Too large gives infinity (then rejected), too small a denormal or 0.
    value = std::strtod(std::string(t).c_str(), nullptr);
  } else if (result.ec != std::errc()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

bool fits_int64(double value) { return value >= -9223372036854775808.0 && value < 9223372036854775808.0; }

struct IntegerText {
  std::optional<std::int64_t> value;
  std::string problem;  // why not, when value is empty
};

// An integer: decimal digits, or any number whose value is integral (1e8, 3.0).
IntegerText parse_integer(std::string_view text) {
  std::string_view t = text;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  std::int64_t exact = 0;
  const auto result = std::from_chars(t.data(), t.data() + t.size(), exact);
  if (result.ptr == t.data() + t.size() && !t.empty()) {
    if (result.ec == std::errc()) return {exact, {}};
    if (result.ec == std::errc::result_out_of_range) {
      return {std::nullopt, "value " + std::string(text) + " does not fit in a 64-bit integer"};
    }
  }
  const auto real = parse_real(text);
  if (!real || std::isnan(*real) || *real != std::trunc(*real)) {
    return {std::nullopt, "expected an integer, found '" + std::string(text) + "'"};
  }
  if (!fits_int64(*real)) return {std::nullopt, "value " + std::string(text) + " does not fit in a 64-bit integer"};
  return {static_cast<std::int64_t>(*real), {}};
}

const std::string& scalar_or_throw(const Node& node, const std::string& key, const std::string& expected) {
  if (node.kind != Node::Kind::scalar)
    throw InputError(node.where, key, "expected " + expected + ", found " + describe(node));
  return node.scalar;
}

double real_or_throw(const Node& node, const std::string& key) {
  const std::string& text = scalar_or_throw(node, key, "a real number");
  const auto value = parse_real(text);
  if (!value) throw InputError(node.where, key, "expected a real number, found '" + text + "'");
  if (!std::isfinite(*value)) throw InputError(node.where, key, "value " + text + " is not a finite number");
  return *value;
}

std::int64_t integer_or_throw(const Node& node, const std::string& key) {
  const std::string& text = scalar_or_throw(node, key, "an integer");
  const IntegerText parsed = parse_integer(text);
  if (!parsed.value) throw InputError(node.where, key, parsed.problem);
  return *parsed.value;
}

// ---------------------------------------------------------------------------
// Parameter values

std::string expected_of(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::real:
      return "a real number";
    case ParamType::integer:
      return "an integer";
    case ParamType::choice:
      return "one of {" + join(spec.choices) + "}";
  }
  return "?";
}

void check_range(const ParamSpec& spec, double value, const std::string& shown, const std::string& where,
                 const std::string& key) {
  if (value < spec.min || value > spec.max) {
    throw InputError(where, key, shown + " is out of range " + format_range(spec));
  }
}

ParamValue parse_value(const ParamSpec& spec, const Node& node, const std::string& key) {
  if (node.kind != Node::Kind::scalar) {
    std::string hint;
    if (node.kind != Node::Kind::null) hint = " (a parameter given several values belongs under 'sweep:')";
    if (!key.starts_with("params.")) hint.clear();
    throw InputError(node.where, key, "expected " + expected_of(spec) + ", found " + describe(node) + hint);
  }
  const std::string& text = node.scalar;
  switch (spec.type) {
    case ParamType::real: {
      const double value = real_or_throw(node, key);
      check_range(spec, value, "value " + text, node.where, key);
      return value;
    }
    case ParamType::integer: {
      const std::int64_t value = integer_or_throw(node, key);
      check_range(spec, static_cast<double>(value), "value " + text, node.where, key);
      return value;
    }
    case ParamType::choice:
      if (std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
        throw InputError(node.where, key,
                         "expected " + expected_of(spec) + ", found '" + text + "'" + suggestion(text, spec.choices));
      }
      return text;
  }
  throw Error("internal: unknown parameter type");
}

// A value computed by a generator (linspace, random, ...): integer parameters
// need it integral up to rounding error.
ParamValue generated_value(const ParamSpec& spec, double value, const std::string& where, const std::string& key,
                           std::string_view generator) {
  const std::string shown = std::string(generator) + " value " + format_number(value);
  if (!std::isfinite(value)) throw InputError(where, key, shown + " is not a finite number");
  if (spec.type == ParamType::integer) {
    const double rounded = std::round(value);
    if (std::fabs(value - rounded) > 1e-9 * std::max(1.0, std::fabs(rounded)) || !fits_int64(rounded)) {
      throw InputError(where, key, shown + " is not an integer, but parameter '" + spec.name + "' is an integer");
    }
    check_range(spec, rounded, shown, where, key);
    return static_cast<std::int64_t>(rounded);
  }
  check_range(spec, value, shown, where, key);
  return value;
}

// ---------------------------------------------------------------------------
// Axes

constexpr std::uint64_t kMaxTasks = 1'000'000'000;
constexpr std::uint64_t kMaxAxisLength = 10'000'000;

// Called with an axis's length before its values are made, so that a typo
// like `n: 1e12` fails fast instead of allocating.
using LengthCheck = std::function<void(std::uint64_t length, const std::string& where)>;

struct AxisContext {
  const ParamSpec& spec;
  std::string key;  // "sweep.x" or "sweep.zip.x"
  std::uint64_t run_seed;
  const LengthCheck& check_length;
};

const std::vector<Node>& generator_args(const Node& node, const std::string& key, std::string_view kind,
                                        std::string_view shape) {
  if (node.kind != Node::Kind::seq || node.items.size() != 3) {
    throw InputError(node.where, key,
                     std::string(kind) + " expects a list " + std::string(shape) + ", found " +
                         (node.kind == Node::Kind::seq ? "a list of " + std::to_string(node.items.size()) + " items"
                                                       : describe(node)));
  }
  return node.items;
}

std::uint64_t count_or_throw(const Node& node, const std::string& key, std::string_view kind) {
  const std::int64_t n = integer_or_throw(node, key);
  if (n < 0) throw InputError(node.where, key, std::string(kind) + " needs a count n >= 0, found " + node.scalar);
  if (n == 0) throw InputError(node.where, key, "empty axis: " + std::string(kind) + " with n = 0 has no values");
  return static_cast<std::uint64_t>(n);
}

// numpy.linspace(a, b, n): a + i*(b-a)/(n-1), with the last value exactly b.
std::vector<double> linspace(double a, double b, std::uint64_t n) {
  std::vector<double> values(n);
  const double step = n > 1 ? (b - a) / static_cast<double>(n - 1) : 0.0;
  for (std::uint64_t i = 0; i < n; ++i) values[i] = static_cast<double>(i) * step + a;
  if (n > 1) values.back() = b;
  return values;
}

std::vector<ParamValue> to_values(const AxisContext& axis, const std::vector<double>& raw, const std::string& where,
                                  std::string_view kind) {
  std::vector<ParamValue> values;
  values.reserve(raw.size());
  for (const double v : raw) values.push_back(generated_value(axis.spec, v, where, axis.key, kind));
  return values;
}

std::vector<ParamValue> spaced_axis(const AxisContext& axis, const Entry& generator) {
  const std::string& kind = generator.key;
  const auto& args = generator_args(generator.value, axis.key, kind, "[start, stop, n]");
  const double a = real_or_throw(args[0], axis.key);
  const double b = real_or_throw(args[1], axis.key);
  const std::uint64_t n = count_or_throw(args[2], axis.key, kind);
  axis.check_length(n, generator.value.where);
  std::vector<double> raw;
  if (kind == "linspace") {
    raw = linspace(a, b, n);
  } else if (kind == "logspace") {
    // numpy.logspace: 10^linspace(a, b, n).
    raw = linspace(a, b, n);
    for (double& v : raw) v = std::pow(10.0, v);
  } else {
    // numpy.geomspace: the logspace between log10|a| and log10|b|, with the
    // end points exact and the common sign restored.
    if (a == 0 || b == 0 || (a < 0) != (b < 0)) {
      throw InputError(generator.value.where, axis.key,
                       "geomspace needs start and stop nonzero and of the same sign, found " + format_number(a) +
                           " and " + format_number(b));
    }
    const double sign = a < 0 ? -1.0 : 1.0;
    raw = linspace(std::log10(std::fabs(a)), std::log10(std::fabs(b)), n);
    for (double& v : raw) v = sign * std::pow(10.0, v);
    raw.front() = a;
    if (n > 1) raw.back() = b;
  }
  return to_values(axis, raw, generator.value.where, kind);
}

// a, a+step, ... while not past b, with a tolerance of 1e-9*|step| so that
// [0.1, 0.9, 0.2] ends at 0.9 despite rounding. Values are a + i*step (no
// accumulated error).
std::vector<ParamValue> range_axis(const AxisContext& axis, const Entry& generator) {
  const auto& args = generator_args(generator.value, axis.key, "range", "[start, stop, step]");
  const double a = real_or_throw(args[0], axis.key);
  const double b = real_or_throw(args[1], axis.key);
  const double step = real_or_throw(args[2], axis.key);
  const std::string& where = generator.value.where;
  if (step == 0) throw InputError(args[2].where, axis.key, "range step must be nonzero, found " + args[2].scalar);
  const double last = std::floor((b - a) / step + 1e-9);
  if (!(last >= 0)) {
    throw InputError(where, axis.key,
                     "empty axis: range from " + format_number(a) + " to " + format_number(b) + " by " +
                         format_number(step) + " has no values");
  }
  const double count = last + 1;
  const std::uint64_t n =
      count < 1.8e19 ? static_cast<std::uint64_t>(count) : std::numeric_limits<std::uint64_t>::max();
  axis.check_length(n, where);
  std::vector<double> raw(n);
  for (std::uint64_t i = 0; i < n; ++i) raw[i] = a + static_cast<double>(i) * step;
  return to_values(axis, raw, where, "range");
}

std::vector<ParamValue> random_axis(const AxisContext& axis, const Entry& generator) {
  const Node& spec = generator.value;
  const std::string key = axis.key + ".random";
  if (spec.kind != Node::Kind::map) {
    throw InputError(spec.where, key,
                     "expected a map {dist: ..., n: ..., low/high or mean/sd}, found " + describe(spec));
  }
  const Entry* dist_entry = spec.find("dist");
  const Entry* n_entry = spec.find("n");
  if (dist_entry == nullptr) {
    throw InputError(spec.where, key + ".dist", "missing key 'dist' (one of: " + join(kRandomDists) + ")");
  }
  if (n_entry == nullptr) throw InputError(spec.where, key + ".n", "missing key 'n' (the number of values)");
  const std::string& dist = scalar_or_throw(dist_entry->value, key + ".dist", "a distribution name");
  if (std::find(kRandomDists.begin(), kRandomDists.end(), dist) == kRandomDists.end()) {
    throw InputError(dist_entry->value.where, key + ".dist",
                     "unknown distribution '" + dist + "' (expected one of: " + join(kRandomDists) + ")" +
                         suggestion(dist, kRandomDists));
  }
  const bool normal = dist == "normal";
  const std::array<std::string_view, 2> bounds =
      normal ? std::array<std::string_view, 2>{"mean", "sd"} : std::array<std::string_view, 2>{"low", "high"};
  for (const Entry& e : spec.entries) {
    if (e.key == "dist" || e.key == "n" || e.key == bounds[0] || e.key == bounds[1]) continue;
    throw InputError(e.where, key + "." + e.key,
                     "unknown key '" + e.key + "' for dist " + dist + " (expected: dist, n, " + join(bounds) + ")");
  }
  std::array<const Node*, 2> bound_nodes{};
  for (std::size_t i = 0; i < 2; ++i) {
    const Entry* e = spec.find(bounds[i]);
    if (e == nullptr) {
      throw InputError(spec.where, key + "." + std::string(bounds[i]),
                       "missing key '" + std::string(bounds[i]) + "' for dist " + dist);
    }
    bound_nodes[i] = &e->value;
  }
  const std::uint64_t n = count_or_throw(n_entry->value, key + ".n", "random");
  axis.check_length(n, spec.where);

  // Stream tied to the parameter name: reordering axes or adding others does
  // not change these values; a different run seed does.
  boost::random::mt19937_64 engine(derive_seed(axis.run_seed, fnv1a64("axis:" + axis.spec.name)));
  std::vector<double> raw;
  raw.reserve(n);
  if (dist == "integer") {
    const std::int64_t low = integer_or_throw(*bound_nodes[0], key + ".low");
    const std::int64_t high = integer_or_throw(*bound_nodes[1], key + ".high");
    if (low > high)
      throw InputError(spec.where, key, "low " + std::to_string(low) + " is above high " + std::to_string(high));
    if (axis.spec.type == ParamType::choice) throw Error("internal: random axis for a choice parameter");
    boost::random::uniform_int_distribution<std::int64_t> draw(low, high);
    std::vector<ParamValue> values;
    values.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::int64_t v = draw(engine);
      check_range(axis.spec, static_cast<double>(v), "random value " + std::to_string(v), spec.where, axis.key);
      if (axis.spec.type == ParamType::integer) {
        values.emplace_back(v);
      } else {
        values.emplace_back(static_cast<double>(v));
      }
    }
    return values;
  }
  const double p = real_or_throw(*bound_nodes[0], key + "." + std::string(bounds[0]));
  const double q = real_or_throw(*bound_nodes[1], key + "." + std::string(bounds[1]));
  if (normal) {
    if (!(q > 0))
      throw InputError(bound_nodes[1]->where, key + ".sd", "sd must be positive, found " + bound_nodes[1]->scalar);
    boost::random::normal_distribution<double> draw(p, q);
    for (std::uint64_t i = 0; i < n; ++i) raw.push_back(draw(engine));
  } else {
    if (!(p < q)) {
      throw InputError(spec.where, key,
                       "low must be below high, found low " + format_number(p) + ", high " + format_number(q));
    }
    const bool logarithmic = dist == "loguniform";
    if (logarithmic && !(p > 0)) {
      throw InputError(bound_nodes[0]->where, key + ".low",
                       "loguniform needs low > 0, found " + bound_nodes[0]->scalar);
    }
    // loguniform: exp of a uniform draw between log(low) and log(high).
    boost::random::uniform_real_distribution<double> draw(logarithmic ? std::log(p) : p, logarithmic ? std::log(q) : q);
    for (std::uint64_t i = 0; i < n; ++i) raw.push_back(logarithmic ? std::exp(draw(engine)) : draw(engine));
  }
  return to_values(axis, raw, spec.where, "random");
}

std::vector<ParamValue> axis_values(const AxisContext& axis, const Node& node) {
  const std::string expected = "a list of values or one of {" + join(kAxisKinds) + ": ...}";
  if (node.kind == Node::Kind::seq) {
    if (node.items.empty()) throw InputError(node.where, axis.key, "empty axis: the list has no values");
    axis.check_length(node.items.size(), node.where);
    std::vector<ParamValue> values;
    values.reserve(node.items.size());
    for (const Node& item : node.items) values.push_back(parse_value(axis.spec, item, axis.key));
    return values;
  }
  if (node.kind != Node::Kind::map)
    throw InputError(node.where, axis.key, "expected " + expected + ", found " + describe(node));
  if (node.entries.size() != 1) {
    throw InputError(node.where, axis.key,
                     "expected " + expected + ", found a map with " + std::to_string(node.entries.size()) + " keys");
  }
  const Entry& generator = node.entries.front();
  if (std::find(kAxisKinds.begin(), kAxisKinds.end(), generator.key) == kAxisKinds.end()) {
    throw InputError(generator.where, axis.key,
                     "unknown axis kind '" + generator.key + "' (expected a list of values or one of: " +
                         join(kAxisKinds) + ")" + suggestion(generator.key, kAxisKinds));
  }
  if (axis.spec.type == ParamType::choice) {
    throw InputError(generator.where, axis.key,
                     "choice parameter '" + axis.spec.name + "' takes a list of labels, not " + generator.key);
  }
  if (generator.key == "range") return range_axis(axis, generator);
  if (generator.key == "random") return random_axis(axis, generator);
  return spaced_axis(axis, generator);
}

// ---------------------------------------------------------------------------
// The whole config

class PlanBuilder {
 public:
  PlanBuilder(const Node& root, std::string origin) : root_(root), origin_(std::move(origin)) {}

  SweepPlan build(std::string config_text) {
    require_map(root_, "", "a map with keys " + join(kTopLevelKeys));
    for (const Entry& e : root_.entries) {
      if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), e.key) == kTopLevelKeys.end()) {
        throw InputError(e.where, e.key,
                         "unknown key '" + e.key + "' (expected one of: " + join(kTopLevelKeys) + ")" +
                             suggestion(e.key, kTopLevelKeys));
      }
    }
    experiment_ = &find_experiment();
    const std::uint64_t run_seed = parse_seed();
    if (const Entry* description = root_.find("description")) {
      if (description->value.kind == Node::Kind::seq || description->value.kind == Node::Kind::map) {
        throw InputError(description->value.where, "description",
                         "expected free text, found " + describe(description->value));
      }
    }
    const auto& specs = experiment_->info().params;
    fixed_where_.assign(specs.size(), {});
    swept_where_.assign(specs.size(), {});
    std::vector<ParamValue> fixed;
    for (const ParamSpec& spec : specs) fixed.push_back(spec.default_value);
    parse_params(fixed);
    std::vector<AxisGroup> axes = parse_sweep(run_seed);
    SweepPlan plan(*experiment_, run_seed, std::move(fixed), std::move(axes), std::move(config_text), origin_);
    validate_points(plan);
    return plan;
  }

 private:
  static void require_map(const Node& node, const std::string& key, const std::string& expected) {
    if (node.kind != Node::Kind::map)
      throw InputError(node.where, key, "expected " + expected + ", found " + describe(node));
  }

  const Entry& required(std::string_view key, const std::string& what) const {
    const Entry* e = root_.find(key);
    if (e == nullptr)
      throw InputError(root_.where, std::string(key), "missing required key '" + std::string(key) + "' (" + what + ")");
    return *e;
  }

  const Experiment& find_experiment() const {
    const Entry& e = required("experiment", "the name of an experiment, see `mechsweep list`");
    const std::string& name = scalar_or_throw(e.value, "experiment", "an experiment name");
    const ExperimentRegistry& registry = ExperimentRegistry::instance();
    if (const Experiment* experiment = registry.find(name)) return *experiment;
    std::vector<std::string> known;
    for (const Experiment* experiment : registry.all()) known.push_back(experiment->info().name);
    const std::string hint = suggestion(name, known);
    throw InputError(e.value.where, "experiment",
                     "unknown experiment '" + name + "'" + hint +
                         (known.empty() ? " (no experiments are registered)" : " (known: " + join(known) + ")"));
  }

  std::uint64_t parse_seed() const {
    const Entry& e = required("seed", "the run seed, an unsigned 64-bit integer");
    const std::string& text = scalar_or_throw(e.value, "seed", "an unsigned 64-bit integer");
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    std::uint64_t seed = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), seed);
    const bool all_digits = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
    if (all_digits && result.ec == std::errc::result_out_of_range) {
      throw InputError(e.value.where, "seed", "value " + text + " does not fit in an unsigned 64-bit integer");
    }
    if (!all_digits || result.ec != std::errc()) {
      throw InputError(e.value.where, "seed", "expected an unsigned 64-bit integer, found '" + text + "'");
    }
    return seed;
  }

  std::size_t param_index(const Entry& e, const std::string& key) const {
    const ExperimentInfo& info = experiment_->info();
    std::vector<std::string> names;
    for (std::size_t i = 0; i < info.params.size(); ++i) {
      if (info.params[i].name == e.key) return i;
      names.push_back(info.params[i].name);
    }
    std::string hint = suggestion(e.key, names);
    if (e.key == "zip" && key.find(".zip.") != std::string::npos) {
      throw InputError(e.where, key, "zip groups cannot be nested");
    }
    if (hint.empty()) hint = names.empty() ? " (it has no parameters)" : " (parameters: " + join(names) + ")";
    throw InputError(e.where, key, "unknown parameter '" + e.key + "' for experiment " + info.name + hint);
  }

  void parse_params(std::vector<ParamValue>& fixed) {
    const Entry* params = root_.find("params");
    if (params == nullptr || params->value.kind == Node::Kind::null) return;
    require_map(params->value, "params", "a map of parameter: value");
    for (const Entry& e : params->value.entries) {
      const std::string key = "params." + e.key;
      const std::size_t index = param_index(e, key);
      fixed[index] = parse_value(experiment_->info().params[index], e.value, key);
      fixed_where_[index] = e.where;
    }
  }

  std::vector<AxisGroup> parse_sweep(std::uint64_t run_seed) {
    std::vector<AxisGroup> groups;
    const Entry* sweep = root_.find("sweep");
    if (sweep == nullptr || sweep->value.kind == Node::Kind::null) return groups;
    require_map(sweep->value, "sweep", "a map of parameter: axis");
    for (const Entry& e : sweep->value.entries) {
      if (e.key != "zip") {
        AxisGroup group;
        add_axis(group, e, "sweep." + e.key, run_seed, nullptr);
        groups.push_back(std::move(group));
      } else if (e.value.kind == Node::Kind::map) {
        groups.push_back(parse_zip_group(e.value, "sweep.zip", run_seed));
      } else if (e.value.kind == Node::Kind::seq && !e.value.items.empty()) {
        for (std::size_t i = 0; i < e.value.items.size(); ++i) {
          const std::string key = "sweep.zip." + std::to_string(i);
          require_map(e.value.items[i], key, "a map of axes that advance together");
          groups.push_back(parse_zip_group(e.value.items[i], key, run_seed));
        }
      } else {
        throw InputError(e.value.where, "sweep.zip",
                         "expected a map of axes that advance together, or a list of such maps; found " +
                             (e.value.kind == Node::Kind::seq ? std::string("an empty list") : describe(e.value)));
      }
    }
    return groups;
  }

  AxisGroup parse_zip_group(const Node& group_node, const std::string& key, std::uint64_t run_seed) {
    if (group_node.entries.empty()) throw InputError(group_node.where, key, "empty zip group: it names no axes");
    AxisGroup group;
    const Entry* first = nullptr;
    for (const Entry& e : group_node.entries) {
      add_axis(group, e, key + "." + e.key, run_seed, first);
      if (first == nullptr) first = &e;
    }
    return group;
  }

  // Every point of a plan up to kValidatedPoints tasks, and an even spread of
  // that many points beyond it: validation is O(1) per point, but a 10^7-task
  // plan must still answer in about a second. Points skipped here are
  // validated again when they run, and fail as tasks.
  static constexpr std::uint64_t kValidatedPoints = std::uint64_t{1} << 18;

  void validate_points(const SweepPlan& plan) const {
    const std::uint64_t count = plan.task_count();
    const std::uint64_t stride = count <= kValidatedPoints ? 1 : count / kValidatedPoints;
    for (std::uint64_t task = 0; task < count; task += stride) {
      const ParamPoint point = plan.point(task);
      try {
        experiment_->validate(point);
      } catch (const InvalidParams& e) {
        std::string values;
        for (std::size_t i = 0; i < point.size(); ++i) {
          if (fixed_where_[i].empty() && swept_where_[i].empty()) continue;
          values += (values.empty() ? "" : ", ") + point.spec(i).name + "=" + text_of(point.value(i));
        }
        std::size_t index = param_position(e.param());
        for (const std::string& name : e.params()) {
          const std::size_t candidate = param_position(name);
          if (candidate < fixed_where_.size() &&
              (!fixed_where_[candidate].empty() || !swept_where_[candidate].empty())) {
            index = candidate;
            break;
          }
        }
        const std::string where = index < fixed_where_.size() && !fixed_where_[index].empty()   ? fixed_where_[index]
                                  : index < swept_where_.size() && !swept_where_[index].empty() ? swept_where_[index]
                                                                                                : origin_;
        const bool swept = index < swept_where_.size() && !swept_where_[index].empty();
        const std::string& name = index < fixed_where_.size() ? experiment_->info().params[index].name : e.param();
        throw InputError(where, (swept ? "sweep." : "params.") + name,
                         "task " + std::to_string(task) + " (" + (values.empty() ? "all defaults" : values) +
                             ") is invalid for " + experiment_->info().name + ": " + e.what());
      }
    }
  }

  std::size_t param_position(const std::string& name) const {
    const auto& specs = experiment_->info().params;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      if (specs[i].name == name) return i;
    }
    return specs.size();
  }

  static std::string text_of(const ParamValue& value) {
    if (const auto* real = std::get_if<double>(&value)) return format_number(*real);
    if (const auto* integer = std::get_if<std::int64_t>(&value)) return std::to_string(*integer);
    return std::get<std::string>(value);
  }

  // Adds one parameter's axis to `group`. In a zip group, `first` is the
  // group's first axis, whose length the others must match.
  void add_axis(AxisGroup& group, const Entry& e, const std::string& key, std::uint64_t run_seed, const Entry* first) {
    const std::size_t index = param_index(e, key);
    const ParamSpec& spec = experiment_->info().params[index];
    if (!fixed_where_[index].empty()) {
      throw InputError(e.where, key,
                       "parameter '" + e.key + "' is both fixed (params." + e.key + " at " + fixed_where_[index] +
                           ") and swept; give it in one place only");
    }
    if (!swept_where_[index].empty()) {
      throw InputError(e.where, key, "parameter '" + e.key + "' is swept twice (also at " + swept_where_[index] + ")");
    }
    swept_where_[index] = e.where;

    const LengthCheck check_length = [&](std::uint64_t length, const std::string& where) {
      if (first != nullptr) {
        if (length != group.size()) throw zip_mismatch(e, key, length, *first, group.size());
        return;
      }
      if (length > kMaxAxisLength) {
        throw InputError(where, key,
                         "axis has " + std::to_string(length) + " values, more than the limit of " +
                             std::to_string(kMaxAxisLength) + "; check it for typos");
      }
      if (task_count_ > 0 && length > kMaxTasks / task_count_) {
        throw InputError(where, key,
                         "the sweep would have more than " + std::to_string(kMaxTasks) + " tasks (axis lengths " +
                             join(axis_lengths_, " x ") + " x " + std::to_string(length) +
                             "); check the axes for typos");
      }
    };
    const AxisContext axis{spec, key, run_seed, check_length};
    std::vector<ParamValue> values = axis_values(axis, e.value);
    if (first == nullptr) {
      task_count_ *= values.size();
      axis_lengths_.push_back(std::to_string(values.size()));
    }
    group.params.push_back(e.key);
    group.values.push_back(std::move(values));
  }

  static InputError zip_mismatch(const Entry& e, const std::string& key, std::uint64_t length, const Entry& first,
                                 std::size_t first_length) {
    return InputError(e.where, key,
                      "axes in a zip group must have the same length: '" + e.key + "' has " + std::to_string(length) +
                          " values but '" + first.key + "' has " + std::to_string(first_length));
  }

  const Node& root_;
  std::string origin_;
  const Experiment* experiment_ = nullptr;
  std::vector<std::string> fixed_where_;  // per parameter: where params: gives it ("" if not)
  std::vector<std::string> swept_where_;  // per parameter: where sweep: gives it
  std::uint64_t task_count_ = 1;
  std::vector<std::string> axis_lengths_;
};

std::string read_config_file(const std::filesystem::path& file) {
  const std::string where = file.string();
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (error || !std::filesystem::exists(status)) throw InputError(where, "", "cannot read config file: no such file");
  if (std::filesystem::is_directory(status)) throw InputError(where, "", "cannot read config file: it is a directory");
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || in.bad()) throw InputError(where, "", "cannot read config file: open or read failed");
  return text.str();
}

SweepPlan build_plan(Node root, std::span<const std::string> overrides, const std::string& origin) {
  std::vector<Override> parsed;
  for (const std::string& text : overrides) parsed.push_back(parse_override(text));
  require_root_map(root);
  for (const Override& o : parsed) apply_override(root, o);
  std::string text = canonical_text(root);
  return PlanBuilder(root, origin).build(std::move(text));
}

}  // namespace

SweepPlan load_plan(const std::filesystem::path& file, std::span<const std::string> overrides) {
  const std::string origin = file.string();
  return build_plan(parse_document(read_config_file(file), origin), overrides, origin);
}

SweepPlan plan_from_text(const std::string& text, const std::string& origin) {
  return build_plan(parse_document(text, origin), {}, origin);
}

}  // namespace mechsweep
