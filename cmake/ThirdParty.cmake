# ThirdParty.cmake — targets for third-party code, built without our warning flags.
#   lb::sqlite   SQLite 3.53.2 amalgamation (native and wasm, one version), FTS5 enabled
#   lb::sodium   libsodium 1.0.18: Debian's libsodium-dev natively, built from source for wasm
#   lb::json     nlohmann/json (Debian's headers; also used by the wasm build)
#   lb::imgui    Dear ImGui 1.86 core + OpenGL3 renderer (wasm only)
# Builds of these land in the build folder and are reused by incremental builds.
set(_tp "${LB_THIRD_PARTY_DIR}")
if(NOT EXISTS "${_tp}/sqlite/sqlite3.c")
  message(FATAL_ERROR "third_party/ is empty: run scripts/fetch-third-party.sh (./dev does it for you)")
endif()

add_library(lb_sqlite STATIC "${_tp}/sqlite/sqlite3.c")
add_library(lb::sqlite ALIAS lb_sqlite)
target_include_directories(lb_sqlite SYSTEM PUBLIC "${_tp}/sqlite")
target_compile_definitions(lb_sqlite PRIVATE
  SQLITE_ENABLE_FTS5 SQLITE_DQS=0 SQLITE_DEFAULT_MEMSTATUS=0 SQLITE_OMIT_DEPRECATED
  SQLITE_OMIT_LOAD_EXTENSION SQLITE_LIKE_DOESNT_MATCH_BLOBS SQLITE_DEFAULT_FOREIGN_KEYS=1
  SQLITE_MAX_EXPR_DEPTH=0 SQLITE_USE_ALLOCA SQLITE_OMIT_SHARED_CACHE)
if(EMSCRIPTEN)
  # the browser engine is single-threaded inside its Worker; it brings its own VFS
  target_compile_definitions(lb_sqlite PRIVATE SQLITE_THREADSAFE=0 SQLITE_TEMP_STORE=3)
  target_compile_options(lb_sqlite PRIVATE -Oz)
else()
  find_package(Threads REQUIRED)
  target_compile_definitions(lb_sqlite PRIVATE SQLITE_THREADSAFE=1)
  target_link_libraries(lb_sqlite PUBLIC Threads::Threads ${CMAKE_DL_LIBS})
endif()
if(LB_SUBBUILD STREQUAL "sanitized")
  target_compile_options(lb_sqlite PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
endif()

find_package(nlohmann_json 3.11 QUIET)
add_library(lb_json INTERFACE)
add_library(lb::json ALIAS lb_json)
target_include_directories(lb_json SYSTEM INTERFACE /usr/include)
if(NOT EMSCRIPTEN AND nlohmann_json_FOUND)
  target_link_libraries(lb_json INTERFACE nlohmann_json::nlohmann_json)
else()
  # Emscripten's sysroot does not search /usr/include: expose only nlohmann's folder to it
  file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/json-include")
  file(CREATE_LINK /usr/include/nlohmann "${CMAKE_BINARY_DIR}/json-include/nlohmann" SYMBOLIC)
  set_target_properties(lb_json PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${CMAKE_BINARY_DIR}/json-include")
endif()

add_library(lb_sodium INTERFACE)
add_library(lb::sodium ALIAS lb_sodium)
if(EMSCRIPTEN)
  include(ExternalProject)
  set(_sodium_prefix "${CMAKE_BINARY_DIR}/libsodium-wasm")
  ExternalProject_Add(libsodium_wasm
    SOURCE_DIR "${_tp}/libsodium"
    BINARY_DIR "${_sodium_prefix}/build"
    INSTALL_DIR "${_sodium_prefix}"
    CONFIGURE_COMMAND env NODE_PATH=/usr/share/nodejs NODE_OPTIONS=--no-experimental-fetch
              emconfigure "${_tp}/libsodium/configure" --quiet --disable-shared --without-pthreads
              --disable-ssp --disable-asm --disable-pie --prefix=<INSTALL_DIR>
    BUILD_COMMAND env NODE_PATH=/usr/share/nodejs NODE_OPTIONS=--no-experimental-fetch emmake make -s -j2
    INSTALL_COMMAND emmake make -s install
    BUILD_BYPRODUCTS "${_sodium_prefix}/lib/libsodium.a"
    LOG_CONFIGURE ON LOG_BUILD ON LOG_INSTALL ON LOG_OUTPUT_ON_FAILURE ON)
  file(MAKE_DIRECTORY "${_sodium_prefix}/include")
  add_dependencies(lb_sodium libsodium_wasm)
  target_include_directories(lb_sodium SYSTEM INTERFACE "${_sodium_prefix}/include")
  target_link_libraries(lb_sodium INTERFACE "${_sodium_prefix}/lib/libsodium.a")
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium=1.0.18)
  target_link_libraries(lb_sodium INTERFACE PkgConfig::SODIUM)
endif()

if(EMSCRIPTEN)
  set(_im "${_tp}/imgui")
  add_library(lb_imgui STATIC
    "${_im}/imgui.cpp" "${_im}/imgui_draw.cpp" "${_im}/imgui_tables.cpp" "${_im}/imgui_widgets.cpp"
    "${_im}/backends/imgui_impl_opengl3.cpp" "${_im}/misc/cpp/imgui_stdlib.cpp")
  add_library(lb::imgui ALIAS lb_imgui)
  target_include_directories(lb_imgui SYSTEM PUBLIC "${_im}" "${_im}/backends" "${_im}/misc/cpp")
  target_compile_definitions(lb_imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS IMGUI_DISABLE_DEMO_WINDOWS
                             IMGUI_DISABLE_METRICS_WINDOW IMGUI_IMPL_OPENGL_ES3 IMGUI_USE_WCHAR32)
  if(LB_UI_TEST_HOOKS)
    target_compile_definitions(lb_imgui PUBLIC IMGUI_ENABLE_TEST_ENGINE)
  endif()
  target_compile_options(lb_imgui PRIVATE -Oz)
endif()
