# Installation (cmake --install) and the Debian package (cpack -G DEB). Included from the top
# level when the window, and so the `solace` executable, is built.
include(GNUInstallDirs)

# Reverse-DNS id shared by the .desktop entry, the AppStream metainfo and the icon names.
set(SOLACE_APP_ID org.solacecare.Solace)
set(assets "${PROJECT_SOURCE_DIR}/assets")

install(FILES "${assets}/${SOLACE_APP_ID}.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${assets}/${SOLACE_APP_ID}.metainfo.xml" DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(FILES "${assets}/icons/${SOLACE_APP_ID}.svg"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
foreach(size 48 128 256)
  install(FILES "${assets}/icons/${size}x${size}/${SOLACE_APP_ID}.png"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps")
endforeach()
install(FILES "${PROJECT_SOURCE_DIR}/man/solace.1" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME solace)
set(CPACK_PACKAGE_VENDOR "The Solace developers")
set(CPACK_PACKAGE_CONTACT "The Solace developers <solace@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "symptom and medication tracking for palliative home care")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Solace is a tracker for palliative care at home. A home-care nurse logs each visit: "
    "ESAS-r symptom scores, the Palliative Performance Scale, doses given and a note. Solace "
    "flags worsening symptoms and late or missed doses, lets family members read their "
    "patient's history, writes a weekly summary for the oncologist, and exports CSV and "
    "FHIR R4. Everything stays in one local SQLite file.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # solace_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps on the installed binary; these are the files
# Solace reads at run time that no library names: the tz database and the DejaVu fonts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libgl1-mesa-dri")
include(CPack)
