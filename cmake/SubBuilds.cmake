# SubBuilds.cmake — the main native build drives the other toolchains as ExternalProjects of this
# same source tree, each in its own folder inside the build folder (so their third-party builds —
# libsodium for wasm, SQLite, ImGui — are cached there and rebuilt only when they change):
#   wasm       Emscripten → engine.{js,wasm}, ui.{js,wasm}; then the web bundle <build>/dist
#   sanitized  clang with ASan + UBSan → unit tests and libFuzzer targets (LB_SANITIZED_TESTS)
include(ExternalProject)
set(_node_env NODE_PATH=/usr/share/nodejs NODE_OPTIONS=--no-experimental-fetch)

if(LB_BUILD_WASM)
  find_program(EMCMAKE emcmake REQUIRED)
  ExternalProject_Add(wasm_build
    SOURCE_DIR "${CMAKE_SOURCE_DIR}"
    BINARY_DIR "${CMAKE_BINARY_DIR}/wasm"
    CONFIGURE_COMMAND ${CMAKE_COMMAND} -E env ${_node_env}
      ${CMAKE_COMMAND} -S <SOURCE_DIR> -B <BINARY_DIR> -G Ninja
      -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake
      -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE} -DLB_SUBBUILD=wasm -DBUILD_TESTING=OFF
      -DLB_UI_TEST_HOOKS=${LB_UI_TEST_HOOKS} -DLB_THIRD_PARTY_DIR=${LB_THIRD_PARTY_DIR}
    BUILD_COMMAND ${CMAKE_COMMAND} -E env ${_node_env} ${CMAKE_COMMAND} --build <BINARY_DIR>
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    USES_TERMINAL_BUILD ON)

  # The web bundle: HTML shell, Worker script, service worker, manifest, icons, both modules,
  # subsetted fonts; versioned by content hash and precompressed (brotli, gzip).
  add_custom_target(web_bundle ALL
    COMMAND ${CMAKE_COMMAND} -E env
      "${CMAKE_SOURCE_DIR}/scripts/bundle-web.sh" "${CMAKE_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/wasm/client"
      "${CMAKE_BINARY_DIR}/fonts" "${CMAKE_BINARY_DIR}/dist"
    DEPENDS wasm_build
    COMMENT "Assembling the web bundle in ${CMAKE_BINARY_DIR}/dist"
    USES_TERMINAL)
endif()

if(LB_SANITIZED_TESTS)
  find_program(CLANGXX clang++ REQUIRED)
  find_program(CLANGC clang REQUIRED)
  ExternalProject_Add(sanitized_build
    SOURCE_DIR "${CMAKE_SOURCE_DIR}"
    BINARY_DIR "${CMAKE_BINARY_DIR}/sanitized"
    CMAKE_ARGS -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=${CLANGC} -DCMAKE_CXX_COMPILER=${CLANGXX}
      -DCMAKE_CXX_FLAGS=-O1 -DLB_SUBBUILD=sanitized -DLB_BUILD_WASM=OFF
      -DLB_THIRD_PARTY_DIR=${LB_THIRD_PARTY_DIR} -DLB_SHARED_DATA_DIR=${LB_SHARED_DATA_DIR}
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    USES_TERMINAL_BUILD ON)
endif()
