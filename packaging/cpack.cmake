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
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")  # serwb_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "SER Workbench maintainers <serwb@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the .deb")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")

# Libraries the binaries link directly come from dpkg-shlibdeps; the rest are loaded at run time
# (Qt platform, SVG and multimedia plugins, the BLAS libtorch calls) and are named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(_serwb_deb_depends
  libtorch1.13 libopenblas0-pthread
  libfftw3-single3 libsndfile1 libsoxr0 libsvm3)
if(SERWB_BUILD_GUI)
  list(APPEND _serwb_deb_depends
    libqt6core6 libqt6gui6 libqt6widgets6 libqt6charts6 libqt6multimedia6 libqt6printsupport6
    libqcustomplot2.1 qt6-qpa-plugins libqt6svg6)
endif()
list(JOIN _serwb_deb_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)

include(CPack)
