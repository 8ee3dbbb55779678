include(GoogleTest)

# Open MPI settings for every test that starts mechsweep live here, not in
# anyone's shell (see jobs/mpi-env.sh): tests/, tests/faults/, analysis/.
set(MECHSWEEP_TEST_ENV
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none)

# Tests live beside the code they test (OpenSpiel style): every `*_test.cpp`
# in a folder becomes one GoogleTest executable registered with ctest.
function(mechsweep_add_tests_in dir target)
  file(GLOB test_sources CONFIGURE_DEPENDS ${dir}/*_test.cpp ${dir}/*/*_test.cpp)
  if(test_sources)
    add_executable(${target}_test ${test_sources})
    target_link_libraries(${target}_test PRIVATE ${target} GTest::gtest_main GTest::gmock)
    gtest_discover_tests(${target}_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
  endif()
endfunction()

# A module is a folder of sources: a static library of its non-test .cpp files
# (or an interface library when it is header-only) plus its tests.
function(mechsweep_add_module target dir)
  file(GLOB sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "_test\\.cpp$")
  if(sources)
    add_library(${target} STATIC ${sources})
    target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(${target} PUBLIC ${ARGN})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(${target} INTERFACE ${ARGN})
  endif()
  mechsweep_add_tests_in(${dir} ${target})
endfunction()
