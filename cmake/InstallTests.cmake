# ctest checks of what `cmake --install` ships (tests/install_check.sh): every file in place,
# the .desktop entry valid for desktop-file-validate, the metainfo for appstreamcli, the man
# page free of groff warnings. The tools come from ./dev setup (desktop-file-utils, appstream).
if(TARGET solace)
  add_test(NAME install_tree
           COMMAND "${PROJECT_SOURCE_DIR}/tests/install_check.sh" "${PROJECT_BINARY_DIR}")
  set_tests_properties(install_tree PROPERTIES TIMEOUT 120)
endif()
