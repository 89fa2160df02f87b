# The Debian package: serwb_<version>_<arch>.deb with both programs, the desktop entry, the
# metainfo, the icons and the man page. Built by packaging/build-deb.sh (`cpack` in the build dir).
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "serwb")
set(CPACK_PACKAGE_VENDOR "SER Workbench")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Speech emotion recognition research workbench")
set(CPACK_PACKAGE_DESCRIPTION
    "SER Workbench reads emotional speech corpora (RAVDESS, CREMA-D or a manifest CSV), computes\n\
log-mel and MFCC features, trains libtorch networks or libsvm classifiers and reports the results.\n\
This package holds the serwb command line tool and the serwb-gui Qt application.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")  # serwb_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "SER Workbench maintainers <serwb@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the .deb")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")

# dpkg-shlibdeps names, with versions, the packages of every library the binaries link (libtorch1.13,
# libfftw3-single3, libsndfile1, libsoxr0, libsvm3, libqt6{core,gui,widgets,charts,multimedia}6,
# libqcustomplot2.1-qt6, ...). Named here are those it cannot see: loaded at run time (Qt's platform,
# SVG and SQLite plugins (SQLite: the GUI's run history), the BLAS behind libtorch's libblas.so.3)
# or only pulled in indirectly.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread")
if(SERWB_BUILD_GUI)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", qt6-qpa-plugins, libqt6svg6, libqt6printsupport6, libqt6sql6-sqlite")
endif()

include(CPack)
