#include "store/hdf5.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace mechsweep::store::h5 {

namespace {

herr_t collect_description(unsigned /*n*/, const H5E_error2_t* error, void* data) {
  auto* messages = static_cast<std::vector<std::string>*>(data);
  if (error->desc != nullptr && error->desc[0] != '\0') {
    messages->emplace_back(error->desc);
  } else if (error->func_name != nullptr) {
    messages->emplace_back(error->func_name);
  }
  return 0;
}

// The outermost and innermost descriptions on HDF5's error stack: the first
// says what the API call was doing, the second why it failed.
std::string hdf5_error_detail() {
  std::vector<std::string> messages;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_description, &messages);
  H5Eclear2(H5E_DEFAULT);
  if (messages.empty()) return "HDF5 gave no reason";
  if (messages.size() == 1 || messages.front() == messages.back()) return messages.front();
  return messages.front() + ": " + messages.back();
}

herr_t collect_link_name(hid_t /*group*/, const char* name, const H5L_info_t* /*info*/, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

// Groups get no timestamps either, so that identical runs give identical files.
PropertyList untimed_group_properties(const std::string& file) {
  PropertyList gcpl = PropertyList::create(H5P_GROUP_CREATE);
  if (H5Pset_obj_track_times(gcpl.id(), 0) < 0) fail(file, "turning off group time tracking");
  return gcpl;
}

std::string rows_text(hsize_t first, hsize_t count) {
  return "rows [" + std::to_string(first) + ", " + std::to_string(first + count) + ")";
}

}  // namespace

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

void fail(const std::string& file, const std::string& what) {
  const std::string detail = hdf5_error_detail();
  throw Error("HDF5 file '" + file + "': " + what + " failed (" + detail + ")");
}

bool Id::reset() noexcept {
  bool ok = true;
  if (id_ > 0 && close_ != nullptr) ok = close_(id_) >= 0;
  id_ = H5I_INVALID_HID;
  return ok;
}

// ---- PropertyList, DataType, DataSpace ------------------------------------

PropertyList PropertyList::create(hid_t cls) {
  silence_errors();
  const hid_t id = H5Pcreate(cls);
  if (id < 0) fail("(none)", "creating a property list");
  return PropertyList(Id(id, H5Pclose));
}

DataType DataType::predefined(hid_t id) { return DataType(id, false); }

DataType DataType::fixed_string(std::size_t bytes, bool null_terminated) {
  const hid_t id = H5Tcopy(H5T_C_S1);
  if (id < 0) fail("(none)", "copying the string type");
  DataType type(id, true);
  if (H5Tset_size(id, std::max<std::size_t>(bytes, 1)) < 0 ||
      H5Tset_strpad(id, null_terminated ? H5T_STR_NULLTERM : H5T_STR_NULLPAD) < 0 ||
      H5Tset_cset(id, H5T_CSET_UTF8) < 0) {
    fail("(none)", "making a " + std::to_string(bytes) + "-byte string type");
  }
  return type;
}

DataType DataType::variable_string() {
  const hid_t id = H5Tcopy(H5T_C_S1);
  if (id < 0) fail("(none)", "copying the string type");
  DataType type(id, true);
  if (H5Tset_size(id, H5T_VARIABLE) < 0 || H5Tset_cset(id, H5T_CSET_UTF8) < 0) {
    fail("(none)", "making a variable-length string type");
  }
  return type;
}

H5T_class_t DataType::type_class() const { return H5Tget_class(id_); }

std::size_t DataType::size() const { return H5Tget_size(id_); }

bool DataType::is_variable_string() const { return H5Tis_variable_str(id_) > 0; }

DataSpace DataSpace::scalar() {
  const hid_t id = H5Screate(H5S_SCALAR);
  if (id < 0) fail("(none)", "creating a scalar dataspace");
  return DataSpace(Id(id, H5Sclose));
}

DataSpace DataSpace::vector(hsize_t size, hsize_t max_size) {
  const hid_t id = H5Screate_simple(1, &size, &max_size);
  if (id < 0) fail("(none)", "creating a dataspace of " + std::to_string(size) + " elements");
  return DataSpace(Id(id, H5Sclose));
}

hsize_t DataSpace::size() const {
  hsize_t dims[1] = {0};
  const int rank = H5Sget_simple_extent_ndims(id_.get());
  if (rank != 1 || H5Sget_simple_extent_dims(id_.get(), dims, nullptr) < 0) return 0;
  return dims[0];
}

// ---- Object: attributes ---------------------------------------------------

void Object::fail(const std::string& what) const { h5::fail(file_, what); }

std::string Object::child_path(const std::string& name) const { return path_ == "/" ? "/" + name : path_ + "/" + name; }

void Object::close() {
  if (!id_.reset()) fail("closing " + path_);
}

bool Object::has_attribute(const std::string& name) const {
  const htri_t found = H5Aexists(id(), name.c_str());
  if (found < 0) fail("looking for attribute '" + name + "' of " + path_);
  return found > 0;
}

namespace {

// Creates (replacing any old one) a scalar attribute and writes one value.
void write_scalar_attribute(const Object& object, const std::string& name, hid_t file_type, hid_t memory_type,
                            const void* value) {
  const std::string what = "writing attribute '" + name + "' of " + object.path();
  if (object.has_attribute(name) && H5Adelete(object.id(), name.c_str()) < 0) fail(object.file_name(), what);
  const DataSpace scalar = DataSpace::scalar();
  const Id attribute(H5Acreate2(object.id(), name.c_str(), file_type, scalar.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attribute.valid() || H5Awrite(attribute.get(), memory_type, value) < 0) fail(object.file_name(), what);
}

Id open_attribute(const Object& object, const std::string& name) {
  Id attribute(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attribute.valid()) fail(object.file_name(), "opening attribute '" + name + "' of " + object.path());
  return attribute;
}

template <class T>
T read_number_attribute(const Object& object, const std::string& name) {
  const Id attribute = open_attribute(object, name);
  const Id type(H5Aget_type(attribute.get()), H5Tclose);
  const H5T_class_t cls = type.valid() ? H5Tget_class(type.get()) : H5T_NO_CLASS;
  if (cls != H5T_INTEGER) {
    throw Error("HDF5 file '" + object.file_name() + "': attribute '" + name + "' of " + object.path() +
                " is not an integer");
  }
  T value{};
  if (H5Aread(attribute.get(), TypeOf<T>::memory(), &value) < 0) {
    fail(object.file_name(), "reading attribute '" + name + "' of " + object.path());
  }
  return value;
}

}  // namespace

void Object::write_attribute(const std::string& name, std::string_view text) const {
  const DataType type = DataType::variable_string();
  const std::string copy(text);  // NUL-terminated
  const char* pointer = copy.c_str();
  write_scalar_attribute(*this, name, type.id(), type.id(), &pointer);
}

void Object::write_attribute(const std::string& name, std::int64_t value) const {
  write_scalar_attribute(*this, name, TypeOf<std::int64_t>::file(), TypeOf<std::int64_t>::memory(), &value);
}

void Object::write_attribute(const std::string& name, std::uint64_t value) const {
  write_scalar_attribute(*this, name, TypeOf<std::uint64_t>::file(), TypeOf<std::uint64_t>::memory(), &value);
}

std::string Object::read_string_attribute(const std::string& name) const {
  const Id attribute = open_attribute(*this, name);
  const std::string what = "reading attribute '" + name + "' of " + path_;
  const Id file_type(H5Aget_type(attribute.get()), H5Tclose);
  if (!file_type.valid()) fail(what);
  if (H5Tget_class(file_type.get()) != H5T_STRING) {
    throw Error("HDF5 file '" + file_ + "': attribute '" + name + "' of " + path_ + " is not a string");
  }
  if (H5Tis_variable_str(file_type.get()) > 0) {
    const DataType memory_type = DataType::variable_string();
    char* pointer = nullptr;
    if (H5Aread(attribute.get(), memory_type.id(), &pointer) < 0) fail(what);
    std::string text = pointer != nullptr ? pointer : "";
    H5free_memory(pointer);
    return text;
  }
  const std::size_t width = H5Tget_size(file_type.get());
  std::vector<char> buffer(width + 1, '\0');
  if (H5Aread(attribute.get(), file_type.get(), buffer.data()) < 0) fail(what);
  return std::string(buffer.data(), ::strnlen(buffer.data(), width));
}

std::int64_t Object::read_int64_attribute(const std::string& name) const {
  return read_number_attribute<std::int64_t>(*this, name);
}

std::uint64_t Object::read_uint64_attribute(const std::string& name) const {
  return read_number_attribute<std::uint64_t>(*this, name);
}

// ---- Container, Group, File -----------------------------------------------

bool Container::exists(const std::string& name) const {
  const htri_t found = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
  if (found < 0) fail("looking for " + child_path(name));
  return found > 0;
}

bool Container::is_group(const std::string& name) const {
  if (!exists(name)) return false;
  const Id object(H5Oopen(id(), name.c_str(), H5P_DEFAULT), H5Oclose);
  if (!object.valid()) fail("opening " + child_path(name));
  return H5Iget_type(object.get()) == H5I_GROUP;
}

std::vector<std::string> Container::children() const {
  std::vector<std::string> names;
  if (H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_link_name, &names) < 0) {
    fail("listing " + path_);
  }
  return names;
}

Group Container::create_group(const std::string& name) const {
  const PropertyList gcpl = untimed_group_properties(file_);
  Id group(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT), H5Gclose);
  if (!group.valid()) fail("creating group " + child_path(name));
  return Group(std::move(group), file_, child_path(name));
}

void Container::remove(const std::string& name) const {
  if (H5Ldelete(id(), name.c_str(), H5P_DEFAULT) < 0) fail("removing " + child_path(name));
}

Group Container::open_group(const std::string& name) const {
  Id group(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), H5Gclose);
  if (!group.valid()) fail("opening group " + child_path(name));
  return Group(std::move(group), file_, child_path(name));
}

DataSet Container::create_dataset(const std::string& name, const DataType& type, const DataSpace& space,
                                  const PropertyList& dcpl) const {
  Id dataset(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) fail("creating dataset " + child_path(name));
  return DataSet(std::move(dataset), file_, child_path(name));
}

DataSet Container::open_dataset(const std::string& name) const {
  Id dataset(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) fail("opening dataset " + child_path(name));
  return DataSet(std::move(dataset), file_, child_path(name));
}

File File::create(const std::string& path, const PropertyList& fcpl, const PropertyList& fapl) {
  silence_errors();
  Id file(H5Fcreate(path.c_str(), H5F_ACC_EXCL, fcpl.id(), fapl.id()), H5Fclose);
  if (!file.valid()) h5::fail(path, "creating the file");
  return File(std::move(file), path, "/");
}

File File::open(const std::string& path, bool writable, const PropertyList& fapl) {
  silence_errors();
  Id file(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.id()), H5Fclose);
  if (!file.valid()) h5::fail(path, writable ? "opening the file for writing" : "opening the file");
  return File(std::move(file), path, "/");
}

void File::flush() const {
  if (H5Fflush(id(), H5F_SCOPE_GLOBAL) < 0) fail("flushing the file");
}

// ---- DataSet ----------------------------------------------------------------

DataType DataSet::type() const {
  const hid_t type = H5Dget_type(id());
  if (type < 0) fail("reading the type of " + path_);
  return DataType(type, true);
}

hsize_t DataSet::size() const {
  const Id space(H5Dget_space(id()), H5Sclose);
  hsize_t dims[1] = {0};
  if (!space.valid() || H5Sget_simple_extent_ndims(space.get()) != 1 ||
      H5Sget_simple_extent_dims(space.get(), dims, nullptr) < 0) {
    fail("reading the length of " + path_ + " (a 1-D dataset)");
  }
  return dims[0];
}

void DataSet::resize(hsize_t size) {
  file_space_ = DataSpace();
  if (H5Dset_extent(id(), &size) < 0) fail("extending " + path_ + " to " + std::to_string(size) + " rows");
}

const DataSpace& DataSet::select(hsize_t first, hsize_t count) const {
  if (!file_space_.valid()) {
    Id space(H5Dget_space(id()), H5Sclose);
    if (!space.valid()) fail("reading the dataspace of " + path_);
    file_space_ = DataSpace(std::move(space));
  }
  if (H5Sselect_hyperslab(file_space_.id(), H5S_SELECT_SET, &first, nullptr, &count, nullptr) < 0) {
    fail("selecting " + rows_text(first, count) + " of " + path_);
  }
  return file_space_;
}

void DataSet::write_range(hid_t memory_type, const void* buffer, hsize_t first, hsize_t count) const {
  if (count == 0) return;
  const DataSpace& file_space = select(first, count);
  const DataSpace memory_space = DataSpace::vector(count);
  if (H5Dwrite(id(), memory_type, memory_space.id(), file_space.id(), H5P_DEFAULT, buffer) < 0) {
    fail("writing " + rows_text(first, count) + " of " + path_);
  }
}

void DataSet::read_range(hid_t memory_type, void* buffer, hsize_t first, hsize_t count) const {
  if (count == 0) return;
  const DataSpace& file_space = select(first, count);
  const DataSpace memory_space = DataSpace::vector(count);
  if (H5Dread(id(), memory_type, memory_space.id(), file_space.id(), H5P_DEFAULT, buffer) < 0) {
    fail("reading " + rows_text(first, count) + " of " + path_);
  }
}

void DataSet::write_rows(hid_t memory_type, const void* buffer, std::span<const Rows> rows) const {
  hsize_t total = 0;
  for (const Rows& range : rows) total += range.count;
  if (total == 0) return;
  const DataSpace& file_space = select(rows.front().first, rows.front().count);
  for (const Rows& range : rows.subspan(1)) {
    if (H5Sselect_hyperslab(file_space.id(), H5S_SELECT_OR, &range.first, nullptr, &range.count, nullptr) < 0) {
      fail("selecting " + rows_text(range.first, range.count) + " of " + path_);
    }
  }
  const DataSpace memory_space = DataSpace::vector(total);
  if (H5Dwrite(id(), memory_type, memory_space.id(), file_space.id(), H5P_DEFAULT, buffer) < 0) {
    fail("writing " + std::to_string(total) + " scattered rows of " + path_);
  }
}

void DataSet::write_strings(std::span<const std::string> values, hsize_t first) const {
  const DataType file_type = type();
  if (file_type.type_class() != H5T_STRING || file_type.is_variable_string()) {
    throw Error("HDF5 file '" + file_ + "': " + path_ + " is not a fixed-length string dataset");
  }
  const bool null_terminated = H5Tget_strpad(file_type.id()) == H5T_STR_NULLTERM;
  const std::vector<char> buffer = pack_fixed_strings(values, file_type.size(), null_terminated);
  write_range(file_type.id(), buffer.data(), first, values.size());
}

std::vector<std::string> DataSet::read_strings(hsize_t first, hsize_t count) const {
  const DataType file_type = type();
  if (file_type.type_class() != H5T_STRING || file_type.is_variable_string()) {
    throw Error("HDF5 file '" + file_ + "': " + path_ + " is not a fixed-length string dataset");
  }
  const std::size_t width = file_type.size();
  std::vector<char> buffer(count * width, '\0');
  read_range(file_type.id(), buffer.data(), first, count);
  std::vector<std::string> values;
  values.reserve(count);
  for (std::size_t row = 0; row < count; ++row) {
    const char* slot = buffer.data() + row * width;
    values.emplace_back(slot, ::strnlen(slot, width));
  }
  return values;
}

// ---- strings ------------------------------------------------------------------

std::size_t utf8_prefix_bytes(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  std::size_t keep = max_bytes;
  // Back off while the first dropped byte continues a character (10xxxxxx).
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0U) == 0x80U) --keep;
  return keep;
}

std::vector<char> pack_fixed_strings(std::span<const std::string> values, std::size_t width, bool null_terminated) {
  std::vector<char> buffer(values.size() * width, '\0');
  const std::size_t room = null_terminated ? width - 1 : width;
  for (std::size_t row = 0; row < values.size(); ++row) {
    const std::size_t keep = utf8_prefix_bytes(values[row], room);
    std::memcpy(buffer.data() + row * width, values[row].data(), keep);
  }
  return buffer;
}

}  // namespace mechsweep::store::h5
