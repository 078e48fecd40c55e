using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Punch.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class NatBehaviour : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NatFilteringA",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NatFilteringB",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Hairpinning",
                table: "Peers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NatFiltering",
                table: "Peers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PortPreserved",
                table: "Peers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Hairpinning",
                table: "Events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NatFiltering",
                table: "Events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OtherNatFiltering",
                table: "Events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PortPreserved",
                table: "Events",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NatFilteringA",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "NatFilteringB",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "Hairpinning",
                table: "Peers");

            migrationBuilder.DropColumn(
                name: "NatFiltering",
                table: "Peers");

            migrationBuilder.DropColumn(
                name: "PortPreserved",
                table: "Peers");

            migrationBuilder.DropColumn(
                name: "Hairpinning",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "NatFiltering",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "OtherNatFiltering",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "PortPreserved",
                table: "Events");
        }
    }
}
