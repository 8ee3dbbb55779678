# Sourced by every launcher: the Open MPI settings this project needs.
# Root is common in containers and CI; Open MPI refuses it unless told.
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# More ranks than cores is fine for testing (the master does not spin).
export OMPI_MCA_rmaps_base_oversubscribe=1
# Containers often forbid the cross-memory-attach syscalls vader uses.
export OMPI_MCA_btl_vader_single_copy_mechanism=none
