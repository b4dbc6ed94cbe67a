# Every third-party dependency of the core comes from a Debian 12 package
# (scripts/deps.txt); this file turns each into an imported target.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(kissfft REQUIRED COMPONENTS SHARED float)
find_package(ZLIB REQUIRED)
find_package(SQLite3 REQUIRED)

pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile)
pkg_check_modules(SAMPLERATE REQUIRED IMPORTED_TARGET samplerate)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)

# Debian splits OpenCV into per-module -dev packages; the umbrella OpenCVConfig
# comes only with libopencv-dev, which drags in VTK and friends. We need three (and dnn in tests).
find_path(TM2_OPENCV_INCLUDE opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
add_library(tm2_opencv INTERFACE)
foreach(module core imgproc imgcodecs)
  find_library(TM2_OPENCV_${module} opencv_${module} REQUIRED)
  target_link_libraries(tm2_opencv INTERFACE ${TM2_OPENCV_${module}})
endforeach()
target_include_directories(tm2_opencv SYSTEM INTERFACE ${TM2_OPENCV_INCLUDE})
# The DNN module (libopencv-dnn-dev) only for the tests that run exported ONNX files
# in an independent runtime; nothing in core links it.
find_library(TM2_OPENCV_dnn opencv_dnn REQUIRED)
add_library(tm2_opencv_dnn INTERFACE)
target_link_libraries(tm2_opencv_dnn INTERFACE ${TM2_OPENCV_dnn} tm2_opencv)

# Debian's LibTorch 1.13.1 (CPU). It defaults to ONE intra-op thread here;
# every entry point sets the count explicitly (tm2::resolveThreadCount).
find_package(Torch REQUIRED)
add_library(tm2_torch INTERFACE)
target_link_libraries(tm2_torch INTERFACE ${TORCH_LIBRARIES})

# COIN-OR CBC through its C interface (the solver PuLP drives by default).
pkg_check_modules(CBC REQUIRED IMPORTED_TARGET cbc)
