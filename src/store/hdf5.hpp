#pragma once
// A thin typed layer over the HDF5 C API, in the manner of HighFive: File,
// Group, DataSet, DataSpace, DataType and PropertyList own their hid_t and
// close it once; a std::vector of numbers or fixed-length strings goes to or
// comes from a 1-D hyperslab in one call. Every failure becomes a
// mechsweep::Error that names the file and the object or operation, with the
// innermost message of HDF5's error stack (whose automatic printing is off).
//
// This header is private to src/store/: nothing outside it sees a hid_t.

#include <hdf5.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mechsweep::store::h5 {

// Turns off HDF5's automatic printing of its error stack; failures are
// reported through Error instead. Cheap; every entry point calls it.
void silence_errors();

// Throws Error "<file>: <what> failed: <innermost HDF5 message>". Call it right
// after the failing HDF5 call, before any other HDF5 call clears the stack.
[[noreturn]] void fail(const std::string& file, const std::string& what);

// Native (memory) and little-endian file types of the numbers the store holds.
template <class T>
struct TypeOf;
template <>
struct TypeOf<double> {
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct TypeOf<std::int64_t> {
  static hid_t memory() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
};
template <>
struct TypeOf<std::uint64_t> {
  static hid_t memory() { return H5T_NATIVE_UINT64; }
  static hid_t file() { return H5T_STD_U64LE; }
};
template <>
struct TypeOf<std::int32_t> {
  static hid_t memory() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct TypeOf<std::uint8_t> {
  static hid_t memory() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};

// An owned identifier: closed with `close` when the owner goes. Ids <= 0
// (H5P_DEFAULT, H5I_INVALID_HID) are never closed.
class Id {
 public:
  using Close = herr_t (*)(hid_t);
  Id() = default;
  Id(hid_t id, Close close) : id_(id), close_(close) {}
  Id(Id&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}
  Id& operator=(Id&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      close_ = other.close_;
    }
    return *this;
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ > 0; }
  // Closes now; returns false if HDF5 reported a failure.
  bool reset() noexcept;
  // Forgets the id without closing it: for ids HDF5 has already closed itself
  // (at MPI_Finalize it shuts down and closes every open object).
  void abandon() noexcept { id_ = H5I_INVALID_HID; }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Close close_ = nullptr;
};

class PropertyList {
 public:
  PropertyList() = default;  // H5P_DEFAULT
  static PropertyList create(hid_t cls);
  hid_t id() const { return id_.valid() ? id_.get() : H5P_DEFAULT; }

 private:
  explicit PropertyList(Id id) : id_(std::move(id)) {}
  Id id_;
};

class DataType {
 public:
  // A predefined type (H5T_NATIVE_DOUBLE, ...): not owned, never closed.
  static DataType predefined(hid_t id);
  template <class T>
  static DataType file_type() {
    return predefined(TypeOf<T>::file());
  }
  // Fixed-length string of `bytes` bytes (at least 1), UTF-8. With
  // `null_terminated` the last byte is always NUL; otherwise values may fill
  // all bytes and shorter ones are NUL-padded (what h5py reads as bytes).
  static DataType fixed_string(std::size_t bytes, bool null_terminated);
  // Variable-length UTF-8 string (what h5py reads as str).
  static DataType variable_string();

  hid_t id() const { return id_; }
  H5T_class_t type_class() const;
  std::size_t size() const;
  bool is_variable_string() const;

 private:
  DataType(hid_t id, bool owned) : owned_(owned ? Id(id, H5Tclose) : Id()), id_(id) {}
  friend class DataSet;
  friend class Object;
  Id owned_;
  hid_t id_ = H5I_INVALID_HID;
};

// A dataspace; the store only uses scalars and 1-D arrays.
class DataSpace {
 public:
  DataSpace() = default;  // none yet
  static DataSpace scalar();
  // 1-D of `size` elements; `max_size` H5S_UNLIMITED makes it extendible.
  static DataSpace vector(hsize_t size, hsize_t max_size);
  static DataSpace vector(hsize_t size) { return vector(size, size); }

  hid_t id() const { return id_.get(); }
  bool valid() const { return id_.valid(); }
  void abandon() noexcept { id_.abandon(); }
  hsize_t size() const;  // 1-D extent

 private:
  explicit DataSpace(Id id) : id_(std::move(id)) {}
  friend class DataSet;
  Id id_;
};

class DataSet;
class Group;

// Anything that can carry attributes: a file's root group, a group, a dataset.
class Object {
 public:
  hid_t id() const { return id_.get(); }
  const std::string& file_name() const { return file_; }
  const std::string& path() const { return path_; }

  bool has_attribute(const std::string& name) const;
  // Text attributes are variable-length UTF-8 strings, so that h5py reads them
  // as str and they have no size limit; numbers are scalars.
  void write_attribute(const std::string& name, std::string_view text) const;
  void write_attribute(const std::string& name, std::int64_t value) const;
  void write_attribute(const std::string& name, std::uint64_t value) const;
  // Reads a string attribute, variable- or fixed-length.
  std::string read_string_attribute(const std::string& name) const;
  std::int64_t read_int64_attribute(const std::string& name) const;
  std::uint64_t read_uint64_attribute(const std::string& name) const;

  // Closes now (collective for a file opened with the MPI-IO driver).
  void close();
  // See Id::abandon.
  void abandon() noexcept { id_.abandon(); }

 protected:
  Object() = default;
  Object(Id id, std::string file, std::string path)
      : id_(std::move(id)), file_(std::move(file)), path_(std::move(path)) {}
  [[noreturn]] void fail(const std::string& what) const;
  std::string child_path(const std::string& name) const;

  Id id_;
  std::string file_;
  std::string path_;
};

// A file or a group: holds links to groups and datasets.
class Container : public Object {
 public:
  bool exists(const std::string& name) const;
  bool is_group(const std::string& name) const;  // false for datasets and missing links
  std::vector<std::string> children() const;     // link names, in name order
  Group create_group(const std::string& name) const;
  Group open_group(const std::string& name) const;
  DataSet create_dataset(const std::string& name, const DataType& type, const DataSpace& space,
                         const PropertyList& dcpl) const;
  DataSet open_dataset(const std::string& name) const;
  // Unlinks a child (its space in the file is not reclaimed).
  void remove(const std::string& name) const;

 protected:
  using Object::Object;
};

class Group : public Container {
 public:
  Group() = default;

 private:
  using Container::Container;
  friend class Container;
};

class File : public Container {
 public:
  File() = default;
  // Creates `path` (H5F_ACC_EXCL: fails if it exists) with the given access list.
  static File create(const std::string& path, const PropertyList& fcpl, const PropertyList& fapl);
  static File open(const std::string& path, bool writable, const PropertyList& fapl);
  void flush() const;  // collective for the MPI-IO driver

 private:
  using Container::Container;
};

class DataSet : public Object {
 public:
  DataSet() = default;

  void abandon() noexcept {
    Object::abandon();
    file_space_.abandon();
  }

  DataType type() const;
  hsize_t size() const;       // 1-D extent
  void resize(hsize_t size);  // H5Dset_extent: collective in parallel

  template <class T>
  void write(std::span<const T> values, hsize_t first) const {
    write_range(TypeOf<T>::memory(), values.data(), first, values.size());
  }
  template <class T>
  std::vector<T> read(hsize_t first, hsize_t count) const {
    std::vector<T> values(count);
    read_range(TypeOf<T>::memory(), values.data(), first, count);
    return values;
  }
  template <class T>
  std::vector<T> read_all() const {
    return read<T>(0, size());
  }

  // Fixed-length strings: each value is cut to fit the dataset's string size
  // (one byte less when it is NUL-terminated, at a UTF-8 character boundary).
  void write_strings(std::span<const std::string> values, hsize_t first) const;
  std::vector<std::string> read_strings(hsize_t first, hsize_t count) const;
  std::vector<std::string> read_all_strings() const { return read_strings(0, size()); }

  // A row range [first, first + count).
  struct Rows {
    hsize_t first = 0;
    hsize_t count = 0;
  };
  // Writes `buffer` (elements of `memory_type`, packed, in row order) to the
  // union of `rows`, which must be sorted and disjoint: one H5Dwrite.
  void write_rows(hid_t memory_type, const void* buffer, std::span<const Rows> rows) const;

 private:
  friend class Container;
  using Object::Object;
  void write_range(hid_t memory_type, const void* buffer, hsize_t first, hsize_t count) const;
  void read_range(hid_t memory_type, void* buffer, hsize_t first, hsize_t count) const;
  // The cached file dataspace with [first, first + count) selected.
  const DataSpace& select(hsize_t first, hsize_t count) const;

  // Cached so a write costs no H5Dget_space; reset by resize().
  mutable DataSpace file_space_;
};

// Packs strings into `width`-byte fixed slots (NUL-padded), cutting each to
// `width - 1` bytes when `null_terminated`, at a UTF-8 character boundary.
std::vector<char> pack_fixed_strings(std::span<const std::string> values, std::size_t width, bool null_terminated);
// The number of bytes of `text` to keep so that it is at most `max_bytes`
// long and does not end inside a UTF-8 character.
std::size_t utf8_prefix_bytes(std::string_view text, std::size_t max_bytes);

}  // namespace mechsweep::store::h5
