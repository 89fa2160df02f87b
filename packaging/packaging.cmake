# Desktop integration, the serwb man page and the Debian package (see packaging/README.md).
# Included from the top-level CMakeLists.txt after every target is defined.

# One application id, used for the desktop entry, the AppStream component and its launchable
# (tests/packaging spells it out too).
set(SERWB_APP_ID "io.github.serwb.SERWorkbench")
set(SERWB_RELEASE_DATE "2026-11-23" CACHE STRING "Release date of PROJECT_VERSION in the AppStream metainfo")
set(SERWB_PROJECT_LICENSE "GPL-3.0-or-later" CACHE STRING "SPDX licence expression for the AppStream metainfo (empty: omitted)")

set(_serwb_pkg_dir ${PROJECT_SOURCE_DIR}/packaging)
set(_serwb_desktop ${PROJECT_SOURCE_DIR}/resources/desktop/${SERWB_APP_ID}.desktop)
set(_serwb_metainfo ${PROJECT_BINARY_DIR}/packaging/${SERWB_APP_ID}.metainfo.xml)

# AppStream metainfo, with the project version as its release.
if(SERWB_PROJECT_LICENSE)
  set(SERWB_METAINFO_LICENSE "<project_license>${SERWB_PROJECT_LICENSE}</project_license>")
else()
  set(SERWB_METAINFO_LICENSE "")
endif()
configure_file(${PROJECT_SOURCE_DIR}/resources/desktop/${SERWB_APP_ID}.metainfo.xml.in ${_serwb_metainfo} @ONLY)

if(SERWB_BUILD_GUI)
  install(FILES ${_serwb_desktop} DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${_serwb_metainfo} DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)

  # app/gui installs the scalable SVG; the fixed sizes are rendered from it at build time.
  find_program(RSVG_CONVERT rsvg-convert)
  if(RSVG_CONVERT)
    set(_serwb_icon_svg ${PROJECT_SOURCE_DIR}/resources/icons/serwb.svg)
    set(_serwb_pngs)
    foreach(size 16 22 24 32 48 64 128 256)
      set(_png ${PROJECT_BINARY_DIR}/packaging/icons/${size}x${size}/serwb.png)
      add_custom_command(OUTPUT ${_png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/packaging/icons/${size}x${size}
        COMMAND ${RSVG_CONVERT} --width ${size} --height ${size} --format png --output ${_png} ${_serwb_icon_svg}
        DEPENDS ${_serwb_icon_svg}
        COMMENT "Rendering the ${size}x${size} icon"
        VERBATIM)
      list(APPEND _serwb_pngs ${_png})
      install(FILES ${_png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
    add_custom_target(serwb_icons ALL DEPENDS ${_serwb_pngs})
  else()
    message(WARNING "rsvg-convert (Debian: librsvg2-bin) not found: PNG icons will not be built or installed")
  endif()
endif()

# serwb.1, written from `serwb --help` and each subcommand's --help (train and the other
# libtorch subcommands answer through serwb-engine).
set(_serwb_man ${PROJECT_BINARY_DIR}/packaging/man/serwb.1)
add_custom_command(OUTPUT ${_serwb_man} ${_serwb_man}.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/packaging/man
  COMMAND ${CMAKE_COMMAND} -E env OPENBLAS_NUM_THREADS=1
          sh ${_serwb_pkg_dir}/make-manpage.sh $<TARGET_FILE:serwb> ${PROJECT_VERSION} ${SERWB_RELEASE_DATE} ${_serwb_man}
  COMMAND gzip -9 -n -f -k ${_serwb_man}
  DEPENDS serwb serwb-engine ${_serwb_pkg_dir}/make-manpage.sh
  COMMENT "Writing the serwb man page"
  VERBATIM)
add_custom_target(serwb_manpage ALL DEPENDS ${_serwb_man}.gz)
install(FILES ${_serwb_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# serwb-gui.1: written by hand (its options are few); tests/packaging checks that it documents
# every option `serwb-gui --help` lists.
if(SERWB_BUILD_GUI)
  set(_serwb_gui_man ${PROJECT_BINARY_DIR}/packaging/man/serwb-gui.1)
  configure_file(${_serwb_pkg_dir}/serwb-gui.1.in ${_serwb_gui_man} @ONLY)
  add_custom_command(OUTPUT ${_serwb_gui_man}.gz
    COMMAND gzip -9 -n -f -k ${_serwb_gui_man}
    DEPENDS ${_serwb_pkg_dir}/serwb-gui.1.in
    COMMENT "Compressing the serwb-gui man page"
    VERBATIM)
  add_custom_target(serwb_gui_manpage ALL DEPENDS ${_serwb_gui_man}.gz)
  install(FILES ${_serwb_gui_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

# Debian's place for the licence: /usr/share/doc/serwb/copyright (machine-readable format).
install(FILES ${_serwb_pkg_dir}/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/serwb)

include(${_serwb_pkg_dir}/cpack.cmake)
