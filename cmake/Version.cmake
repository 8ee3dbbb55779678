# The git commit is baked into the binary so every store records the code that wrote it.
find_package(Git QUIET)
add_custom_target(mechsweep_version_header
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUT=${CMAKE_BINARY_DIR}/generated/mechsweep_build_info.hpp
          -DVERSION=${PROJECT_VERSION} -DGIT_EXECUTABLE=${GIT_EXECUTABLE}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteBuildInfo.cmake
  BYPRODUCTS ${CMAKE_BINARY_DIR}/generated/mechsweep_build_info.hpp)
